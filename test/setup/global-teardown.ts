// Loads only what it needs of @lgsp/testing, for the reason given in global-setup.ts.
import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { RUN_ENV } from '../../libs/testing/src/run-environment';

/** Drops this run's databases and topics, then releases what setup started. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env[RUN_ENV.runId];
  const postgres = process.env[RUN_ENV.postgres];
  const brokers = process.env[RUN_ENV.brokers];
  if (runId && postgres) {
    const c = new Client({ connectionString: postgres });
    await c.connect();
    const { rows } = await c.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`lgsp\\_${runId}\\_%`],
    );
    for (const r of rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    await c.end();
  }
  if (runId && brokers) {
    const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(runId));
    if (topics.length) await admin.deleteTopics({ topics });
    await admin.disconnect();
  }
  await globalThis.lgspInfrastructure?.stop();
}
