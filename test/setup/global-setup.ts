// Global setup/teardown run outside Jest's module mapper: resolve @lgsp/* through tsconfig paths.
import 'tsconfig-paths/register';
import { newRunId, RUN_ENV, startTestInfrastructure, type TestInfrastructure } from '@lgsp/testing';

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
  process.stdout.write(
    `\ntest infrastructure: Kafka ${infra.kafkaBrokers} (${infra.via.kafka}), ` +
      `PostgreSQL (${infra.via.postgres}), run ${process.env[RUN_ENV.runId]}\n`,
  );
}
