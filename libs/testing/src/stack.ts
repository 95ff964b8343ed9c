import {
  migrateService,
  type RunningService,
  type ServiceDefinition,
  startService,
  type Env,
} from '@lgsp/platform';
import { Client } from 'pg';
import { grantKafkaAccess } from './kafka-access';
import { serviceTestEnv } from './run-environment';

/** Services of one spec, migrated and started in-process against the run's broker and database. */
export class TestStack {
  private constructor(private readonly running: Map<string, RunningService>) {}

  /**
   * `suffix` gives the spec its own databases, topics and (on a closed broker) principals,
   * each service connecting as its own system with the catalogue's ACLs; `env` adds settings.
   */
  static async start(
    defs: ServiceDefinition[],
    opts: { suffix: string; env?: Env },
  ): Promise<TestStack> {
    const running = new Map<string, RunningService>();
    const envOf = (def: ServiceDefinition) => serviceTestEnv(def.name, opts.env, opts.suffix);
    await grantKafkaAccess(envOf(defs[0]).KAFKA_TOPIC_PREFIX ?? '', opts.env);
    for (const def of defs) await migrateService(def, envOf(def));
    try {
      for (const def of defs) running.set(def.name, await startService(def, envOf(def)));
    } catch (e) {
      for (const svc of running.values()) await svc.app.close();
      throw e;
    }
    return new TestStack(running);
  }

  service(name: string): RunningService {
    const svc = this.running.get(name);
    if (!svc) throw new Error(`${name} is not part of this test stack`);
    return svc;
  }

  services(): RunningService[] {
    return [...this.running.values()];
  }

  url(name: string): string {
    return this.service(name).url;
  }

  databaseUrl(name: string): string {
    return this.service(name).config.DATABASE_URL;
  }

  topicPrefix(): string {
    return [...this.running.values()][0].config.KAFKA_TOPIC_PREFIX;
  }

  async close(): Promise<void> {
    for (const svc of [...this.running.values()].reverse()) await svc.app.close();
  }
}

export async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}
