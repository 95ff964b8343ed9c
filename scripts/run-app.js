#!/usr/bin/env node
// Runs a compiled app from dist/: `node scripts/run-app.js <app> [args…]`.
// The libs are imported as @lgsp/*; tsconfig's paths map them into dist/ at run time.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');
const [app, ...args] = process.argv.slice(2);
const main = path.join(root, 'dist', 'apps', app ?? '', 'src', 'main.js');
if (!app || !fs.existsSync(main)) {
  process.stderr.write(
    `usage: run-app.js <app> [args]; no build of "${app ?? ''}" in dist/ (run npm run build)\n`,
  );
  process.exit(2);
}
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
require('tsconfig-paths').register({
  baseUrl: path.join(root, 'dist'),
  paths: compilerOptions.paths,
});
process.argv = [process.argv[0], main, ...args];
require(main);
