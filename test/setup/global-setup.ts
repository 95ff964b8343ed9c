// Global setup and teardown run in Jest's outer realm, whose globals every test file then
// sees. They load only the infrastructure part of @lgsp/testing: the whole library would
// bring the event contracts, and with them class-validator's global metadata store, whose
// classes from this realm confuse the JSON Schema generator inside the tests.
import {
  newRunId,
  startTestInfrastructure,
  type TestInfrastructure,
} from '../../libs/testing/src/infrastructure';
import { RUN_ENV } from '../../libs/testing/src/run-environment';

declare global {
  var lgspInfrastructure: TestInfrastructure | undefined;
}

/** Brings up (or finds) Kafka and PostgreSQL once for the whole run. */
export default async function globalSetup(): Promise<void> {
  const infra = await startTestInfrastructure();
  globalThis.lgspInfrastructure = infra;
  process.env[RUN_ENV.runId] = newRunId();
  process.env[RUN_ENV.brokers] = infra.kafkaBrokers;
  process.env[RUN_ENV.postgres] = infra.postgresUrl;
  if (infra.restartKafka) process.env[RUN_ENV.restartKafka] = infra.restartKafka;
  if (infra.kafkaAdmin) process.env[RUN_ENV.kafkaAdmin] = JSON.stringify(infra.kafkaAdmin);
  if (infra.kafkaAuthorizerLog) process.env[RUN_ENV.kafkaAuthorizerLog] = infra.kafkaAuthorizerLog;
  process.stdout.write(
    `\ntest infrastructure: Kafka ${infra.kafkaBrokers} (${infra.via.kafka}, ` +
      `${infra.kafkaAdmin ? `closed, administered as ${infra.kafkaAdmin.sasl.username}` : 'open'}), ` +
      `PostgreSQL (${infra.via.postgres}), run ${process.env[RUN_ENV.runId]}\n`,
  );
}
