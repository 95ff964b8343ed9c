import { join } from 'node:path';

/** Everything `hubctl bench flow` needs, read once from its arguments and environment. */
export interface FlowOptions {
  root: string;
  out: string;
  seconds: number;
  batch: number;
  inFlight: number;
  rates: number[];
  mix: boolean;
  rawMessages: number;
  citizens: number;
  seed: number;
  provinceCode: string;
  urls: { hub: string; civilStatus: string; land: string; insurance: string; population: string };
  hubDatabaseUrl: string;
  populationUrl: string;
  insuranceUrl: string;
  brokers: string;
  topicPrefix: string;
  partitions: number;
  /** The environment the benchmark runs in, handed to a stack it starts. */
  env: NodeJS.ProcessEnv;
  /** Settings of the services that shape the figures, as the report states them. */
  knobs: Record<string, string>;
  say: (line: string) => void;
}

export interface FlowArgs {
  seconds?: string;
  batch?: string;
  'in-flight'?: string;
  rates?: string;
  mix?: boolean;
  'raw-messages'?: string;
  citizens?: string;
  seed?: string;
  out?: string;
}

/** Environment variables that change what the flow can do; reported with the figures. */
const KNOBS = [
  'KAFKA_TOPIC_PARTITIONS',
  'KAFKA_TOPIC_PREFIX',
  'KAFKA_SESSION_TIMEOUT_MS',
  'KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY',
  'DB_POOL_SIZE',
  'KAFKA_HEAP_OPTS',
  'CONSUMER_MAX_ATTEMPTS',
  'DB_LOCK_TIMEOUT_MS',
  'DB_STATEMENT_TIMEOUT_MS',
  'SEAL_INTERVAL_SECONDS',
  'SEAL_MAX_ENTRIES',
  'DELIVERY_DEADLINE_SECONDS',
  'LOG_LEVEL',
  'LGSP_CPU_PROF_DIR',
  'LGSP_HUB_NICE',
];

function whole(name: string, value: string | undefined, fallback: number, max: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new Error(`--${name} must be a whole number from 1 to ${max} (got ${value})`);
  return n;
}

/** The benchmark loads only this machine: every address must be a loopback one. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

export function flowOptions(v: FlowArgs, env: NodeJS.ProcessEnv, root: string): FlowOptions {
  const db = (name: string) =>
    env[`${name}_DATABASE_URL`] ?? `postgres://postgres@127.0.0.1:5432/lgsp_${name.toLowerCase()}`;
  const o: FlowOptions = {
    root,
    out: v.out ?? join(root, 'docs/bench'),
    seconds: whole('seconds', v.seconds, 60, 3600),
    batch: whole('batch', v.batch, 200, 1000),
    inFlight: whole('in-flight', v['in-flight'], 6, 64),
    rates: (v.rates ?? '')
      .split(',')
      .filter(Boolean)
      .map((r) => whole('rates', r, 1, 100_000)),
    mix: v.mix === true,
    rawMessages: whole('raw-messages', v['raw-messages'], 200_000, 5_000_000),
    citizens: whole('citizens', v.citizens, 20_000, 2_000_000),
    // The mix uses up what it touches (the dead, cards sent for linking): fresh people each run.
    seed: whole('seed', v.seed, v.mix ? (Date.now() % 100_000) + 1 : 7, 2 ** 31),
    provinceCode: env.PROVINCE_CODE ?? '01',
    urls: {
      hub: env.HUB_URL ?? 'http://127.0.0.1:3000',
      civilStatus: env.CIVIL_STATUS_URL ?? 'http://127.0.0.1:3001',
      land: env.LAND_URL ?? 'http://127.0.0.1:3002',
      insurance: env.INSURANCE_URL ?? 'http://127.0.0.1:3003',
      population: env.POPULATION_ADAPTER_URL ?? 'http://127.0.0.1:3004',
    },
    hubDatabaseUrl: db('HUB'),
    // The population adapter's own default database is lgsp_population.
    populationUrl:
      env.POPULATION_ADAPTER_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lgsp_population',
    insuranceUrl: db('INSURANCE'),
    brokers: env.KAFKA_BROKERS ?? `127.0.0.1:${env.LGSP_KAFKA_PORT ?? 9092}`,
    topicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
    partitions: whole('KAFKA_TOPIC_PARTITIONS', env.KAFKA_TOPIC_PARTITIONS, 6, 1000),
    env,
    knobs: Object.fromEntries(KNOBS.map((k) => [k, env[k] ?? 'default'])),
    say: (line) => process.stderr.write(`bench flow: ${line}\n`),
  };
  if (o.rates.length > 10) throw new Error('--rates takes at most 10 rates');
  const hosts = [
    ...Object.values(o.urls).map((u) => new URL(u).hostname),
    ...[o.hubDatabaseUrl, o.populationUrl, o.insuranceUrl].map((u) => new URL(u).hostname),
    ...o.brokers.split(',').map((b) => b.replace(/:\d+$/, '')),
  ];
  const remote = hosts.filter((h) => !isLoopback(h));
  if (remote.length > 0)
    throw new Error(
      `the flow benchmark loads this machine only; not loopback: ${remote.join(', ')}`,
    );
  return o;
}
