import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import type { KafkaAdminAuth } from './kafka-credentials';

export const REPO_ROOT = resolve(__dirname, '../../..');

/** Where the test run finds its broker and database server, and how to release them. */
export interface TestInfrastructure {
  kafkaBrokers: string;
  /** The broker's administration principal; none: the broker is open. */
  kafkaAdmin?: KafkaAdminAuth;
  /** The local broker's authorizer log (its refusals), where the run can read it. */
  kafkaAuthorizerLog?: string;
  /** A server URL (any database name); each service gets its own database on it. */
  postgresUrl: string;
  via: { kafka: string; postgres: string };
  /** A shell command that restarts the broker, when this run can (chaos tests need it). */
  restartKafka?: string;
  stop(): Promise<void>;
}

function dockerAnswers(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

async function postgresAnswers(url: string): Promise<string | undefined> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await c.end().catch(() => undefined);
  }
}

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

/** `<local dir>/kafka`: the local broker's credentials and data (deploy/local/kafka). */
function localKafkaDir(env: NodeJS.ProcessEnv): string {
  return join(
    env.LGSP_LOCAL_DIR ? resolve(env.LGSP_LOCAL_DIR) : join(REPO_ROOT, '.local'),
    'kafka',
  );
}

/**
 * The administrator of the run's broker: the credential the environment gives
 * (KAFKA_SASL_USERNAME with KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE; KAFKA_SSL,
 * KAFKA_SSL_CA_FILE), or the local broker's when its password file is there. Without
 * either the broker is taken to be open.
 */
function kafkaAdminOf(env: NodeJS.ProcessEnv): KafkaAdminAuth | undefined {
  const ssl =
    env.KAFKA_SSL === 'true' || env.KAFKA_SSL_CA_FILE
      ? { ca: env.KAFKA_SSL_CA_FILE ? readFileSync(env.KAFKA_SSL_CA_FILE, 'utf8') : undefined }
      : undefined;
  if (env.KAFKA_SASL_USERNAME) {
    const password = env.KAFKA_SASL_PASSWORD_FILE
      ? readFileSync(env.KAFKA_SASL_PASSWORD_FILE, 'utf8').trim()
      : env.KAFKA_SASL_PASSWORD;
    if (!password) throw new Error('KAFKA_SASL_USERNAME needs KAFKA_SASL_PASSWORD(_FILE)');
    return { sasl: { username: env.KAFKA_SASL_USERNAME, password }, ssl };
  }
  const file = join(localKafkaDir(env), 'credentials', 'lgsp_admin.password');
  if (!existsSync(file)) return undefined;
  return { sasl: { username: 'lgsp_admin', password: readFileSync(file, 'utf8').trim() }, ssl };
}

/**
 * Finds the infrastructure, in this order: variables given (KAFKA_BROKERS,
 * TEST_POSTGRES_URL) → a Docker engine that answers → Testcontainers; otherwise the
 * project's own local scripts (deploy/local). Missing infrastructure is an error that
 * says how to fix it; tests are never skipped for want of it.
 */
export async function startTestInfrastructure(env = process.env): Promise<TestInfrastructure> {
  const stops: (() => Promise<void>)[] = [];
  const docker = !(env.KAFKA_BROKERS && env.TEST_POSTGRES_URL) && dockerAnswers();
  let kafkaBrokers = env.KAFKA_BROKERS;
  let postgresUrl = env.TEST_POSTGRES_URL;
  const via = { kafka: 'KAFKA_BROKERS', postgres: 'TEST_POSTGRES_URL' };
  let restartKafka: string | undefined = env.LGSP_TEST_KAFKA_RESTART;

  if (!kafkaBrokers && docker) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const kafka = await new KafkaContainer('apache/kafka:4.1.0').withKraft().start();
    kafkaBrokers = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
    restartKafka = `docker restart ${kafka.getId()}`;
    stops.push(async () => void (await kafka.stop()));
    via.kafka = 'testcontainers';
  } else if (!kafkaBrokers) {
    const wasRunning =
      spawnSync('bash', [`${REPO_ROOT}/deploy/local/kafka/status.sh`, '--quiet']).status === 0;
    const r = spawnSync('bash', [`${REPO_ROOT}/deploy/local/kafka/start.sh`], { stdio: 'inherit' });
    if (r.status !== 0) {
      throw new Error(
        'Could not start the local Kafka broker (deploy/local/kafka/start.sh failed; see above).\n' +
          'Fix: install Java 17+ and Maven, or set KAFKA_BROKERS to a reachable broker.',
      );
    }
    kafkaBrokers = `127.0.0.1:${env.LGSP_KAFKA_PORT ?? 9092}`;
    via.kafka = 'deploy/local/kafka';
    restartKafka = `bash ${REPO_ROOT}/deploy/local/kafka/stop.sh && bash ${REPO_ROOT}/deploy/local/kafka/start.sh`;
    if (!wasRunning && !env.LGSP_KEEP_KAFKA) {
      stops.push(() => {
        spawnSync('bash', [`${REPO_ROOT}/deploy/local/kafka/stop.sh`], { stdio: 'inherit' });
        return Promise.resolve();
      });
    }
  }

  if (!postgresUrl && docker) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const pg = await new PostgreSqlContainer('postgres:16-alpine').start();
    postgresUrl = pg.getConnectionUri();
    stops.push(async () => void (await pg.stop()));
    via.postgres = 'testcontainers';
  } else if (!postgresUrl) {
    const r = spawnSync('bash', [`${REPO_ROOT}/deploy/local/postgres/ensure.sh`], {
      stdio: 'inherit',
    });
    if (r.status !== 0)
      throw new Error(
        'PostgreSQL is not available (deploy/local/postgres/ensure.sh failed; see above).',
      );
    postgresUrl = LOCAL_POSTGRES;
    via.postgres = 'deploy/local/postgres';
  }
  // Testcontainers' broker is open; every other one is closed where a credential is found.
  const kafkaAdmin = via.kafka === 'testcontainers' ? undefined : kafkaAdminOf(env);
  const authorizerLog = join(localKafkaDir(env), 'data', 'logs', 'kafka-authorizer.log');
  const problem = await postgresAnswers(postgresUrl);
  if (problem) {
    throw new Error(
      `PostgreSQL at ${postgresUrl} does not answer: ${problem}\nFix: start it, or set TEST_POSTGRES_URL.`,
    );
  }
  return {
    kafkaBrokers,
    kafkaAdmin,
    kafkaAuthorizerLog: kafkaAdmin && existsSync(authorizerLog) ? authorizerLog : undefined,
    postgresUrl,
    via,
    restartKafka,
    stop: async () => {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

/** A short id for this test run: its databases and topics carry it, so runs never meet. */
export function newRunId(): string {
  return `t${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}
