// Unit specs sit beside the code (*.spec.ts); integration specs (*.e2e-spec.ts) run against
// the real broker and database that test/setup/global-setup.ts brings up.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
// @nestjs/* 12 (and swagger-parser's reference resolver) ship as ES modules; Jest's module
// loader needs them as CommonJS.
const esm = [
  '@nestjs',
  '@apidevtools',
  'file-type',
  'strtok3',
  'token-types',
  'peek-readable',
  'uint8array-extras',
  '@tokenizer',
];

const common = {
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  transform: { '^.+\\.(t|m?j)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esm.join('|')})/)`],
  moduleNameMapper: {
    '^@lgsp/(.*)$': '<rootDir>/libs/$1/src',
    '^@apps/(.*)$': '<rootDir>/apps/$1/src',
  },
  rootDir: __dirname,
};

const only = process.env.LGSP_TEST_ONLY; // 'unit' or 'integration'
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,deploy}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,test}/**/*.e2e-spec.ts'],
      slowTestThreshold: 60,
    },
  ].filter((p) => !only || p.displayName === only),
  globalSetup: only === 'unit' ? undefined : '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: only === 'unit' ? undefined : '<rootDir>/test/setup/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.js'],
  testTimeout: 120000,
};
