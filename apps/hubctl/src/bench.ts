import { hubService, Sealer, type SealKeys, Stats, VerifyLog } from '@apps/hub';
import { Metrics } from '@lgsp/observability';
import { dataSourceOptions, dropDatabase, LeaderLeases, migrate } from '@lgsp/persistence';
import { fullDatabase } from '@lgsp/platform';
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { PoolClient } from 'pg';
import pino from 'pino';
import QueryStream from 'pg-query-stream';
import { DataSource } from 'typeorm';

const SERVICES = [
  ['birth-registration', 'civil-status.birth-registered.v1', 'civil-status', 'population'],
  ['death-registration', 'civil-status.death-registered.v1', 'civil-status', 'population'],
  ['citizen-registration', 'population.citizen-registered.v1', 'population', 'insurance'],
  ['citizen-registration', 'population.citizen-registered.v1', 'population', 'civil-status'],
  ['citizen-death', 'population.citizen-deceased.v1', 'population', 'insurance'],
  ['citizen-death', 'population.citizen-deceased.v1', 'population', 'land'],
  ['ownership-registration', 'land.ownership-registered.v1', 'land', 'population'],
  ['owner-identity-verification', 'population.identity-verified.v1', 'population', 'land'],
  ['card-link-request', 'insurance.card-link-requested.v1', 'insurance', 'population'],
  ['card-link-verification', 'population.card-link-verified.v1', 'population', 'insurance'],
] as const;
const sqlArray = (i: number) => `ARRAY[${SERVICES.map((s) => `'${s[i]}'`).join(',')}]`;
const pick = (i: number, n: string) => `(${sqlArray(i)})[1 + (${n}) % ${SERVICES.length}]`;
const SUBJECTS = 500_000;
const CHUNK = 1_000_000;
const YEAR_MS = 365 * 86_400_000;

/**
 * A year of realistic history, in bulk: per event a PUBLISHED and a RECEIPT entry (one in
 * two hundred entries a REJECTED one instead), its transaction (99.5 % SUCCESS) and the
 * roll-ups; then sealed by the hub's own sealer. Returns the seconds each step took.
 */
export async function seedLog(
  ds: DataSource,
  entries: number,
  say: (s: string) => void,
  keys: SealKeys,
) {
  const t0 = Date.now();
  const start = Date.now() - YEAR_MS;
  // History goes into its own monthly partitions, as it would on a hub that has run a year;
  // the hub itself only creates this month and the ones ahead.
  await ds.query(`SELECT lgsp_ensure_log_partitions($1::date, now()::date)`, [
    new Date(start).toISOString(),
  ]);
  for (let a = 1; a <= entries; a += CHUNK) {
    const b = Math.min(entries, a + CHUNK - 1);
    await ds.query(
      `INSERT INTO log_entries (id, record_id, kind, event_id, event_type, service_code, provider, consumer, status,
                                subject_hash, correlation_id, payload_sha256, occurred_at, recorded_at, topic,
                                kafka_partition, kafka_offset)
       SELECT i, 'bench-' || i,
              CASE WHEN i % 200 = 0 THEN 'REJECTED' WHEN i % 2 = 0 THEN 'PUBLISHED' ELSE 'RECEIPT' END,
              'ev-' || (i / 2), ${pick(1, 'i / 2')}, ${pick(0, 'i / 2')}, ${pick(2, 'i / 2')},
              CASE WHEN i % 2 = 1 THEN ${pick(3, 'i / 2')} END,
              CASE WHEN i % 200 = 0 THEN 'REJECTED' WHEN i % 2 = 0 THEN 'PUBLISHED' ELSE 'SUCCESS' END,
              md5('subject-' || ((i / 2) % ${SUBJECTS})) || md5('s' || ((i / 2) % ${SUBJECTS})),
              'case-' || (i / 6), md5('p' || i) || md5('q' || i),
              to_timestamp(($1::bigint + i * $2::double precision) / 1000.0),
              to_timestamp(($1::bigint + i * $2::double precision) / 1000.0), 'bench', i % 6, i
         FROM generate_series($3::bigint, $4::bigint) i`,
      [start, YEAR_MS / entries, a, b],
    );
    say(`log entries ${b}/${entries}`);
  }
  await ds.query(`SELECT setval('log_entries_id_seq', $1)`, [entries]);
  const tEntries = Date.now();
  // The roll-ups are computed once below, in bulk, not statement by statement by their triggers.
  await ds.query('ALTER TABLE transactions DISABLE TRIGGER transactions_rollup_inserted');
  await ds.query('ALTER TABLE transactions DISABLE TRIGGER transactions_rollup_updated');
  await ds.query(
    `INSERT INTO transactions (event_id, consumer, event_type, service_code, provider, status, attempts, subject_hash,
                               correlation_id, published_at, received_at, completed_at, latency_ms)
     SELECT e.event_id, e.consumer, e.event_type, e.service_code, e.provider,
            CASE WHEN e.id % 2000 = 1 THEN 'FAILED' WHEN e.id % 2000 = 3 THEN 'TIMED_OUT' ELSE 'SUCCESS' END,
            1, e.subject_hash, e.correlation_id, e.occurred_at - make_interval(secs => (e.id * 7919 % 300 + 5) / 1000.0),
            e.occurred_at, e.occurred_at, (e.id * 7919 % 300 + 5)
       FROM log_entries e WHERE e.kind = 'RECEIPT'`,
  );
  await ds.query(
    `INSERT INTO transactions (event_id, consumer, event_type, service_code, provider, status, error_code,
                               correlation_id, published_at, completed_at)
     SELECT e.event_id, 'hub', e.event_type, e.service_code, e.provider, 'REJECTED', 'CONTRACT.INVALID_PAYLOAD',
            e.correlation_id, e.occurred_at, e.occurred_at
       FROM log_entries e WHERE e.kind = 'REJECTED'`,
  );
  await ds.query('ALTER TABLE transactions ENABLE TRIGGER transactions_rollup_inserted');
  await ds.query('ALTER TABLE transactions ENABLE TRIGGER transactions_rollup_updated');
  const tTransactions = Date.now();
  const bucket = (i: number) => `count(*) FILTER (WHERE status = 'SUCCESS' AND b = ${i})::int`;
  await ds.query(
    `INSERT INTO rollups_minute
     SELECT date_trunc('minute', published_at), COALESCE(service_code, ''), COALESCE(provider, ''), consumer,
            count(*) FILTER (WHERE status = 'PENDING'), count(*) FILTER (WHERE status = 'SUCCESS'),
            count(*) FILTER (WHERE status = 'FAILED'), count(*) FILTER (WHERE status = 'REJECTED'),
            count(*) FILTER (WHERE status = 'TIMED_OUT'),
            COALESCE(sum(latency_ms) FILTER (WHERE status = 'SUCCESS'), 0),
            COALESCE(max(latency_ms) FILTER (WHERE status = 'SUCCESS'), 0),
            ARRAY[${Array.from({ length: 14 }, (_, i) => bucket(i + 1)).join(', ')}]
       FROM (SELECT *, lgsp_latency_bucket(latency_ms) AS b FROM transactions) t GROUP BY 1, 2, 3, 4`,
  );
  say('roll-ups by minute');
  const sums = Array.from({ length: 14 }, (_, i) => `sum(latency_histogram[${i + 1}])::int`).join(
    ', ',
  );
  for (const unit of ['hour', 'day']) {
    await ds.query(
      `INSERT INTO rollups_${unit}
       SELECT date_trunc('${unit}', minute), service_code, provider, consumer, sum(pending), sum(success), sum(failed),
              sum(rejected), sum(timed_out), sum(latency_sum_ms), max(latency_max_ms), ARRAY[${sums}]
         FROM rollups_minute GROUP BY 1, 2, 3, 4`,
    );
    say(`roll-ups by ${unit}`);
  }
  await ds.query('ANALYZE');
  const tRollups = Date.now();
  const logger = pino({ level: 'warn' });
  const metrics = new Metrics('bench');
  const sealer = new Sealer(
    ds,
    { intervalSeconds: 3600, maxEntries: 10_000 },
    logger,
    metrics,
    keys.signer,
    // Never started: the bench seals by calling sealAll, alone on its own database.
    new LeaderLeases({ databaseUrl: '', logger, metrics }),
  );
  await sealer.sealAll();
  const tSeals = Date.now();
  return {
    entriesSeconds: (tEntries - t0) / 1000,
    transactionsSeconds: (tTransactions - tEntries) / 1000,
    rollupsSeconds: (tRollups - tTransactions) / 1000,
    sealSeconds: (tSeals - tRollups) / 1000,
  };
}

async function timed<T>(
  runs: number,
  f: () => Promise<T>,
): Promise<{ medianMs: number; result: T }> {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    result = await f();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { medianMs: Math.round(times[Math.floor(times.length / 2)] * 10) / 10, result };
}

const plan = async (ds: DataSource, sql: string, params: unknown[]) =>
  (await ds.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params))
    .map((r) => r['QUERY PLAN'])
    .join('\n');

/** A fresh bench database (the hub's schema) filled with `entries` of history. */
export async function seedBenchLog(
  databaseUrl: string,
  entries: number,
  say: (s: string) => void,
  keys: SealKeys,
) {
  const def = fullDatabase(hubService);
  await dropDatabase(databaseUrl);
  await migrate(databaseUrl, def);
  const ds = new DataSource(
    dataSourceOptions(databaseUrl, def, { lockTimeoutMs: 60_000, statementTimeoutMs: 3_600_000 }),
  );
  await ds.initialize();
  try {
    const seeding = await seedLog(ds, entries, say, keys);
    await ds.query('CREATE TABLE bench_seeding (seeding jsonb)');
    await ds.query('INSERT INTO bench_seeding VALUES ($1)', [JSON.stringify(seeding)]);
    return { entries, ...seeding };
  } finally {
    await ds.destroy();
  }
}

/** Seeds the log, measures the queries operators and auditors run, and writes the figures. */
export async function benchLog(opts: {
  databaseUrl: string;
  entries: number;
  out: string;
  /** Measure a log seeded by an earlier run instead of seeding again. */
  reuse?: boolean;
  say: (s: string) => void;
  /** The seals are signed and checked as the hub does (the local development key). */
  keys: SealKeys;
}) {
  if (!opts.reuse) await seedBenchLog(opts.databaseUrl, opts.entries, opts.say, opts.keys);
  const def = fullDatabase(hubService);
  const ds = new DataSource(
    dataSourceOptions(opts.databaseUrl, def, {
      lockTimeoutMs: 60_000,
      statementTimeoutMs: 3_600_000,
    }),
  );
  await ds.initialize();
  try {
    const [{ seeding }] = await ds.query<{ seeding: Record<string, number> }[]>(
      'SELECT seeding FROM bench_seeding',
    );
    const [{ entries }] = await ds.query<{ entries: number }[]>(
      'SELECT count(*)::int AS entries FROM log_entries',
    );
    opts.entries = entries;
    opts.say('measuring');
    const stats = new Stats(ds);
    const now = Date.now();
    const day = { from: new Date(now - 86_400_000).toISOString(), to: new Date(now).toISOString() };
    const year = { from: new Date(now - YEAR_MS).toISOString(), to: new Date(now).toISOString() };
    const rateDay = await timed(7, () => stats.query({ ...day, groupBy: 'service' }));
    const rateYear = await timed(7, () => stats.query({ ...year, groupBy: 'service' }));
    const [{ subject_hash }] = await ds.query<{ subject_hash: string }[]>(
      `SELECT subject_hash FROM log_entries WHERE id = $1`,
      [Math.floor(opts.entries / 3) * 2],
    );
    const citizenSql = `SELECT * FROM log_entries WHERE subject_hash = $1 AND id > 0 ORDER BY id LIMIT 100`;
    const citizen = await timed(7, () => ds.query<unknown[]>(citizenSql, [subject_hash]));
    const exportDay = await timed(3, async () => {
      const runner = ds.createQueryRunner();
      const client = (await runner.connect()) as PoolClient;
      let rows = 0;
      try {
        const stream = client.query(
          new QueryStream(
            'SELECT * FROM log_entries WHERE occurred_at >= $1 AND occurred_at < $2 ORDER BY id',
            [day.from, day.to],
            { batchSize: 1000 },
          ),
        );
        for await (const row of stream) {
          JSON.stringify(row);
          rows++;
        }
      } finally {
        await runner.release();
      }
      return rows;
    });
    const verify = new VerifyLog(ds, opts.keys.keyring);
    const verifyDay = await timed(3, () =>
      verify.verify({ from: new Date(day.from), to: new Date(day.to) }),
    );
    const rateSql = `SELECT r.service_code, sum(r.success), sum(r.failed) FROM rollups_day r WHERE r.minute >= date_trunc('day', $1::timestamptz) AND r.minute < $2::timestamptz GROUP BY 1`;
    const [{ size }] = await ds.query<{ size: string }[]>(
      `SELECT pg_size_pretty(pg_database_size(current_database())) AS size`,
    );
    const [{ rollups }] = await ds.query<{ rollups: string }[]>(
      `SELECT (SELECT count(*) FROM rollups_minute) || ' / ' || (SELECT count(*) FROM rollups_hour) || ' / ' || (SELECT count(*) FROM rollups_day) AS rollups`,
    );
    const [{ partitions, inDefault }] = await ds.query<{ partitions: number; inDefault: number }[]>(
      `SELECT (SELECT count(*)::int FROM pg_inherits WHERE inhparent = 'log_entries'::regclass) AS partitions,
              (SELECT count(*)::int FROM log_entries_default) AS "inDefault"`,
    );
    const results = {
      entries: opts.entries,
      partitions: `${partitions} (${inDefault} entries in the default partition)`,
      databaseSize: size,
      rollupRows: rollups,
      seeding,
      successRateOneDayMs: rateDay.medianMs,
      successRateOneYearMs: rateYear.medianMs,
      auditByCitizenMs: citizen.medianMs,
      auditByCitizenRows: citizen.result.length,
      exportOneDayMs: exportDay.medianMs,
      exportOneDayRows: exportDay.result,
      verifyOneDayMs: verifyDay.medianMs,
      verifyOneDay: {
        ok: verifyDay.result.ok,
        seals: verifyDay.result.checkedSeals,
        entries: verifyDay.result.checkedEntries,
      },
    };
    const plans = {
      'success rate, one year (daily roll-ups)': await plan(ds, rateSql, [year.from, year.to]),
      'audit by citizen': await plan(ds, citizenSql, [subject_hash]),
      'export, one day': await plan(
        ds,
        'SELECT * FROM log_entries WHERE occurred_at >= $1 AND occurred_at < $2 ORDER BY id',
        [day.from, day.to],
      ),
    };
    mkdirSync(opts.out.replace(/\/[^/]+$/, ''), { recursive: true });
    writeFileSync(opts.out, report(results, plans));
    return results;
  } finally {
    await ds.destroy();
  }
}

function report(r: Record<string, unknown>, plans: Record<string, string>): string {
  const x = r as {
    entries: number;
    partitions: string;
    databaseSize: string;
    rollupRows: string;
    seeding: Record<string, number>;
    successRateOneDayMs: number;
    successRateOneYearMs: number;
    auditByCitizenMs: number;
    auditByCitizenRows: number;
    exportOneDayMs: number;
    exportOneDayRows: number;
    verifyOneDayMs: number;
    verifyOneDay: { ok: boolean; seals: number; entries: number };
  };
  return `# Exchange log at scale — measured

Written by \`npm run bench\` (\`hubctl bench log --entries ${x.entries}\`) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, PostgreSQL on the same machine, nothing else under load. Medians of 7 runs (3 for export and verify).

The log holds ${x.entries.toLocaleString('en')} entries spread over the last 365 days (a PUBLISHED and a RECEIPT entry per event; one entry in 200 a rejection), with their transactions, roll-ups (minute / hour / day rows: ${x.rollupRows}) and seals of 10,000 entries. Monthly partitions of the log: ${x.partitions}. Database size: ${x.databaseSize}.

| What | Time | Notes |
| --- | --- | --- |
| Success rate by service, one day | ${x.successRateOneDayMs} ms | hourly roll-ups |
| Success rate by service, one year | ${x.successRateOneYearMs} ms | daily roll-ups |
| Audit query by citizen (first page) | ${x.auditByCitizenMs} ms | ${x.auditByCitizenRows} rows, index on subject hash |
| Export of one day (streamed, serialised) | ${x.exportOneDayMs} ms | ${x.exportOneDayRows.toLocaleString('en')} rows |
| Verify one day | ${x.verifyOneDayMs} ms | ${x.verifyOneDay.seals} seals, ${x.verifyOneDay.entries.toLocaleString('en')} entries, ok: ${x.verifyOneDay.ok} |

Seeding (bulk SQL, timed in the run that seeded this database): entries ${x.seeding.entriesSeconds} s, transactions ${x.seeding.transactionsSeconds} s, roll-ups ${x.seeding.rollupsSeconds} s, sealing ${x.seeding.sealSeconds} s.

## Query plans

${Object.entries(plans)
  .map(([k, v]) => `### ${k}\n\n\`\`\`\n${v}\n\`\`\`\n`)
  .join('\n')}`;
}
