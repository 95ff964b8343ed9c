import type { Env } from '@lgsp/platform';
import { generateKeyPairSync } from 'node:crypto';
import { KAFKA_ADMIN_ENV, kafkaTestEnv, systemOfApp } from './kafka-credentials';

/** What globalSetup passes to the test files through the environment. */
export const RUN_ENV = {
  runId: 'LGSP_TEST_RUN_ID',
  brokers: 'LGSP_TEST_KAFKA_BROKERS',
  postgres: 'LGSP_TEST_POSTGRES_URL',
  restartKafka: 'LGSP_TEST_KAFKA_RESTART_COMMAND',
  /** The closed broker's administration credential, as JSON; unset: the broker is open. */
  kafkaAdmin: KAFKA_ADMIN_ENV,
  kafkaAuthorizerLog: 'LGSP_TEST_KAFKA_AUTHORIZER_LOG',
} as const;

/** The hub's bootstrap administrator key in tests. */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';

let sealSigningKey: string | undefined;

/**
 * The Ed25519 key (PEM) the hubs of this test process sign their seals with: made once, as
 * `npm start` makes its development key, so that a hub restarted by a spec keeps its key.
 */
export function testSealSigningKey(): string {
  sealSigningKey ??= generateKeyPairSync('ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  return sealSigningKey;
}

export function testRun(): { runId: string; brokers: string; postgresUrl: string } {
  const runId = process.env[RUN_ENV.runId];
  const brokers = process.env[RUN_ENV.brokers];
  const postgresUrl = process.env[RUN_ENV.postgres];
  if (!runId || !brokers || !postgresUrl) {
    throw new Error(
      'The test infrastructure is not set up: run integration tests through `npm test`.',
    );
  }
  return { runId, brokers, postgresUrl };
}

export function databaseUrl(postgresUrl: string, name: string): string {
  const u = new URL(postgresUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * The environment a service gets in a test: this run's broker, its own database
 * (`lgsp_<run>_<service>`, plus a suffix when a test wants a fresh one) and topic prefix,
 * and on a closed broker its own principal under that prefix (grantKafkaAccess creates it).
 */
export function serviceTestEnv(service: string, overrides: Env = {}, suffix = ''): Env {
  const { runId, brokers, postgresUrl } = testRun();
  const db = `lgsp_${runId}_${service.replace(/-/g, '_')}${suffix}`;
  return {
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: `${runId}${suffix}.`,
    ...kafkaTestEnv(systemOfApp(service), `${runId}${suffix}.`),
    KAFKA_TOPIC_PARTITIONS: '3',
    DATABASE_URL: databaseUrl(postgresUrl, db),
    SUBJECT_HASH_KEY: 'test-subject-hash-key-0123456789',
    HUB_ADMIN_KEY: TEST_ADMIN_KEY,
    SEAL_SIGNING_KEY: testSealSigningKey(),
    PORT: '0',
    LOG_LEVEL: process.env.LGSP_TEST_LOG_LEVEL ?? 'warn',
    ...overrides,
  };
}
