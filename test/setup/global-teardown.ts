// Loads only what it needs of @lgsp/testing and @lgsp/messaging, for the reason given in
// global-setup.ts.
import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaAdminAuth } from '../../libs/testing/src/kafka-credentials';
import { RUN_ENV } from '../../libs/testing/src/run-environment';
import { removeAclsOf } from '../../libs/messaging/src/kafka/kafka-acl-sync';

/** Drops this run's databases, topics and ACLs, then releases what setup started. */
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
    const auth = kafkaAdmin();
    const admin = new Kafka({
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
      ...(auth ? { sasl: { mechanism: 'scram-sha-512', ...auth.sasl }, ssl: sslOf(auth) } : {}),
    }).admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(runId));
    if (topics.length) await admin.deleteTopics({ topics });
    if (auth) {
      // The run's principals are `<run><suffix>.<system>`: without ACLs they may do nothing.
      // Their SCRAM credentials stay (see ScramUsers: deleting one breaks logins on 4.4.0).
      await removeAclsOf(admin, (p) => p.startsWith(`User:${runId}`));
    }
    await admin.disconnect();
  }
  await globalThis.lgspInfrastructure?.stop();
}

function kafkaAdmin(): KafkaAdminAuth | undefined {
  const json = process.env[RUN_ENV.kafkaAdmin];
  return json ? (JSON.parse(json) as KafkaAdminAuth) : undefined;
}

function sslOf(auth: KafkaAdminAuth): boolean | { ca: string[] } | undefined {
  if (!auth.ssl) return undefined;
  return auth.ssl.ca ? { ca: [auth.ssl.ca] } : true;
}
