import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HubClient } from './hub-client';
import { demo } from './demo';
import { seed } from './seed';
import { benchLog, seedBenchLog } from './bench';
import { benchFlow } from './bench-flow';
import { flowOptions } from './bench-flow-options';
import { auditFilter, exportLog, verifyExportFile } from './audit';
import { kafkaCommand } from './kafka';
import { k8sCommand } from './k8s-command';
import { hubctlKafkaEnv } from './kafka-admin';
import { localSealKeys } from './local-seal-key';
import { archiveLog, verifyArchiveFile } from './archive';
import { subjectReportCommand } from './subject-report';

const USAGE = `hubctl — the LGSP hub from the command line

  hubctl transactions <eventId>                   transactions opened by one event
  hubctl transactions [--service S] [--status X]  recent transactions
  hubctl success-rate [--service S] [--from ISO] [--to ISO]
  hubctl catalogue                                systems, services and subscriptions
  hubctl dlq list [--consumer C] [--service S] [--error CODE] [--summary]
  hubctl dlq replay (--event ID ... | --consumer C | --service S | --error CODE | --all)
  hubctl cases <correlationId> | hubctl cases --stuck
  hubctl link-cards [--limit N] [--batch N]        insurance sends unlinked cards for verification
  hubctl report card-links                        how many cards are linked, and the share
  hubctl seed --citizens N [--seed S]             synthetic citizens into the population register
  hubctl demo [--seconds 60] [--rate 10]          a realistic mix through a running stack
  hubctl audit query [filters] [--limit N]        exchange-log entries (auditor key)
  hubctl audit export --format csv|ndjson|sealed [filters] [--out FILE]   streamed, with progress;
                                                  sealed: with its seals, and the hub's public keys
                                                  in FILE.public-keys.pem
  hubctl audit verify [--from ISO] [--to ISO] [--signed-from N]
                                                  recompute the seals, check their signatures; names
                                                  the first forged seal or tampered entry
  hubctl audit verify --export FILE [--public-key PEM] [--signed-from N]
                                                  check a sealed export offline, with public keys only
  hubctl audit verify --archive FILE [--public-key PEM] [--signed-from N]
                                                  check an archived month offline, with public keys only
  hubctl audit archive [--before YYYY-MM] [--public-key PEM]
                                                  archive the log's months before YYYY-MM (default: older
                                                  than LOG_RETENTION_MONTHS) to LOG_ARCHIVE_DIR, verify
                                                  each file, then drop its partition (HUB_DATABASE_URL)
  hubctl audit subject-report --citizen ID [--format json|csv|html] [--out FILE]
                                                  every exchange about one citizen: when, which service,
                                                  from which system to which, purpose, legal basis,
                                                  outcome (html: a printable document in Vietnamese)
  hubctl bench seed-log [--entries N]             a year of log history, in bulk, into the bench database
  hubctl bench log [--entries N] [--out FILE] [--reuse]   a year of log history, then the queries timed (npm run bench)
  hubctl bench flow [--seconds 60] [--batch 200] [--in-flight 6] [--rates a,b] [--mix]
                   [--raw-messages N] [--citizens N] [--seed S] [--out DIR]
                                                  raw Kafka, the maximum of logged transactions/s and
                                                  latency at half of it (npm run bench:flow); starts a
                                                  stack when none answers; writes docs/bench/throughput.*
  hubctl log rebuild                              replay the topics into an empty log and compare (runs: hub rebuild-log)
  hubctl kafka acls [--print] [--apply] [--format text|json|strimzi] [--cluster NAME] [--catalogue FILE]
                                                  the broker ACLs the catalogue implies: print them (as
                                                  Strimzi KafkaUser resources too), or make the broker's
                                                  ACLs exactly these (a disabled system loses its own)
  hubctl kafka users --apply [--credentials-dir DIR] [--catalogue FILE]
                                                  a SCRAM credential for the hub and each active system;
                                                  passwords generated into DIR (.local/kafka/credentials)
  hubctl kafka refusals [--log FILE]              what the broker refused, counted from its authorizer log
  hubctl k8s generate [--out DIR] [--catalogue FILE] [--cluster NAME] [--partitions N]
                   [--replicas N] [--retention-hours N]
                                                  Strimzi KafkaTopics (the contracts' topics) and KafkaUsers
                                                  (the catalogue's ACLs) into deploy/k8s/base/generated
      filters: --from --to --service --provider --consumer --status --correlation --citizen <ID number>

  HUB_URL (default http://127.0.0.1:3000) says where the hub is; HUB_API_KEY is sent as
  the caller's credential (dead letters need an operator or admin key). INSURANCE_URL
  (default http://127.0.0.1:3003) for link-cards; POPULATION_ADAPTER_DATABASE_URL and
  INSURANCE_DATABASE_URL (local defaults) for seed. Kafka: KAFKA_BROKERS, and the
  administrator's KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD[_FILE] (default: the local
  broker's, from .local/kafka/credentials); HUB_DATABASE_URL for the catalogue.`;

const OPTIONS = {
  service: { type: 'string' },
  status: { type: 'string' },
  consumer: { type: 'string' },
  error: { type: 'string' },
  event: { type: 'string', multiple: true },
  from: { type: 'string' },
  to: { type: 'string' },
  all: { type: 'boolean' },
  stuck: { type: 'boolean' },
  citizens: { type: 'string' },
  seed: { type: 'string' },
  limit: { type: 'string' },
  batch: { type: 'string' },
  seconds: { type: 'string' },
  entries: { type: 'string' },
  reuse: { type: 'boolean' },
  rate: { type: 'string' },
  provider: { type: 'string' },
  correlation: { type: 'string' },
  citizen: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  summary: { type: 'boolean' },
  mix: { type: 'boolean' },
  rates: { type: 'string' },
  'in-flight': { type: 'string' },
  'raw-messages': { type: 'string' },
  print: { type: 'boolean' },
  apply: { type: 'boolean' },
  catalogue: { type: 'string' },
  cluster: { type: 'string' },
  log: { type: 'string' },
  'credentials-dir': { type: 'string' },
  export: { type: 'string' },
  archive: { type: 'string' },
  before: { type: 'string' },
  'public-key': { type: 'string' },
  'signed-from': { type: 'string' },
  partitions: { type: 'string' },
  replicas: { type: 'string' },
  'retention-hours': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function run(argv: string[], out: (s: string) => void): Promise<void> {
  const { values: v, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: OPTIONS,
  });
  const hub = new HubClient(
    process.env.HUB_URL ?? 'http://127.0.0.1:3000',
    process.env.HUB_API_KEY,
  );
  const print = (x: unknown) => out(JSON.stringify(x, null, 2));
  const [command, arg] = positionals;
  const env = process.env;
  switch (
    `${command} ${command === 'dlq' || command === 'report' || command === 'audit' || command === 'log' || command === 'bench' || command === 'kafka' || command === 'k8s' ? arg : ''}`.trim()
  ) {
    case 'transactions':
      return print(
        arg
          ? await hub.get(`/transactions/${encodeURIComponent(arg)}`)
          : await hub.get('/transactions', { service: v.service, status: v.status }),
      );
    case 'success-rate': {
      const path = v.service
        ? `/services/${encodeURIComponent(v.service)}/success-rate`
        : '/success-rate';
      return print(await hub.get(path, { from: v.from, to: v.to }));
    }
    case 'catalogue':
      return print({
        systems: await hub.get('/catalogue/systems'),
        services: await hub.get('/catalogue/services'),
        subscriptions: await hub.get('/catalogue/subscriptions'),
      });
    case 'dlq list':
      return print(
        v.summary
          ? await hub.get('/dead-letters/summary')
          : await hub.get('/dead-letters', {
              consumer: v.consumer,
              service: v.service,
              errorCode: v.error,
            }),
      );
    case 'dlq replay':
      return print(
        await hub.post('/dead-letters/replay', {
          eventIds: v.event,
          consumer: v.consumer,
          service: v.service,
          errorCode: v.error,
          all: v.all,
        }),
      );
    case 'cases':
      return print(
        arg
          ? await hub.get(`/cases/${encodeURIComponent(arg)}`)
          : await hub.get('/cases', { status: 'stuck' }),
      );
    case 'link-cards': {
      const insurance = new HubClient(env.INSURANCE_URL ?? 'http://127.0.0.1:3003');
      const body = {
        limit: v.limit ? Number(v.limit) : undefined,
        batchSize: v.batch ? Number(v.batch) : undefined,
      };
      return print(await insurance.post('/cards/link-requests', body));
    }
    case 'report card-links':
      return print(await hub.get('/reports/card-links'));
    case 'seed': {
      const citizens = Number(v.citizens);
      if (!Number.isInteger(citizens) || citizens < 1)
        throw new Error('seed needs --citizens N (a positive whole number)');
      const started = Date.now();
      const result = await seed({
        citizens,
        seed: Number(v.seed ?? 1),
        populationUrl:
          env.POPULATION_ADAPTER_DATABASE_URL ??
          'postgres://postgres@127.0.0.1:5432/lgsp_population',
        insuranceUrl:
          env.INSURANCE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lgsp_insurance',
        provinceCode: env.PROVINCE_CODE ?? '01',
        progress: (done, total) => process.stderr.write(`\rseeding ${done}/${total} citizens`),
      });
      process.stderr.write('\n');
      return print({ ...result, seconds: (Date.now() - started) / 1000 });
    }
    case 'log rebuild': {
      // The hub's own code does it, with the hub's settings from this environment (on a closed
      // broker, as the administrator unless the environment names a principal).
      const run = spawnSync(
        process.execPath,
        [join(__dirname, '../../../../scripts/run-app.js'), 'hub', 'rebuild-log'],
        {
          stdio: 'inherit',
          env: hubctlKafkaEnv(join(__dirname, '../../../..'), env),
        },
      );
      if (run.status !== 0) throw new Error('the rebuild failed (see above)');
      return;
    }
    case 'bench seed-log': {
      const url =
        env.LGSP_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lgsp_bench_hub';
      return print(
        await seedBenchLog(
          url,
          Number(v.entries ?? 10_000_000),
          (l) => process.stderr.write(`bench: ${l}\n`),
          localSealKeys(join(__dirname, '../../../..'), env),
        ),
      );
    }
    case 'bench log': {
      const results = await benchLog({
        databaseUrl:
          env.LGSP_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lgsp_bench_hub',
        entries: Number(v.entries ?? 10_000_000),
        out: v.out ?? join(__dirname, '../../../../docs/bench/exchange-log-at-scale.md'),
        reuse: v.reuse,
        say: (line) => process.stderr.write(`bench: ${line}\n`),
        keys: localSealKeys(join(__dirname, '../../../..'), env),
      });
      return print(results);
    }
    case 'kafka acls':
    case 'kafka users':
    case 'kafka refusals':
      return kafkaCommand(arg, v, {
        root: join(__dirname, '../../../..'),
        env,
        out,
        say: (line) => process.stderr.write(`kafka: ${line}\n`),
      });
    case 'k8s generate':
      return k8sCommand(arg, v, {
        root: join(__dirname, '../../../..'),
        env,
        out,
        say: (line) => process.stderr.write(`k8s: ${line}\n`),
      });
    case 'bench flow': {
      const r = await benchFlow(flowOptions(v, env, join(__dirname, '../../../..')));
      const { loggedTxPerSecond, rawKafkaMessagesPerSecond, halfLoad, failures } = r;
      return print({ loggedTxPerSecond, rawKafkaMessagesPerSecond, halfLoad, failures });
    }
    case 'audit query':
      return print(await hub.get('/audit/log', { ...auditFilter(v), limit: v.limit }));
    case 'audit export':
      return exportLog(hub, { ...auditFilter(v), format: v.format ?? 'ndjson' }, v.out);
    case 'audit verify': {
      const signedFrom = v['signed-from'] === undefined ? undefined : Number(v['signed-from']);
      if (signedFrom !== undefined && !(Number.isInteger(signedFrom) && signedFrom >= 1))
        throw new Error('--signed-from needs a seal sequence (a whole number from 1)');
      const result = v.archive
        ? await verifyArchiveFile(v.archive, { publicKeyFile: v['public-key'], signedFrom })
        : v.export
          ? await verifyExportFile(v.export, { publicKeyFile: v['public-key'], signedFrom })
          : await hub.post<{ ok: boolean }>('/audit/verify', {
              from: v.from,
              to: v.to,
              signedFrom,
            });
      print(result);
      if (!result.ok) process.exitCode = 1;
      return;
    }
    case 'audit subject-report': {
      const text = await subjectReportCommand(hub, v);
      if (text !== undefined) out(text.trimEnd());
      return;
    }
    case 'audit archive':
      return print(
        await archiveLog({
          root: join(__dirname, '../../../..'),
          env,
          before: v.before,
          publicKeyFile: v['public-key'],
        }),
      );
    case 'demo': {
      const tally = await demo({
        seconds: Number(v.seconds ?? 60),
        perSecond: Number(v.rate ?? 10),
        urls: {
          civilStatus: env.CIVIL_STATUS_URL ?? 'http://127.0.0.1:3001',
          land: env.LAND_URL ?? 'http://127.0.0.1:3002',
          insurance: env.INSURANCE_URL ?? 'http://127.0.0.1:3003',
          hub: env.HUB_URL ?? 'http://127.0.0.1:3000',
        },
        populationUrl:
          env.POPULATION_ADAPTER_DATABASE_URL ??
          'postgres://postgres@127.0.0.1:5432/lgsp_population',
        insuranceUrl:
          env.INSURANCE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lgsp_insurance',
        say: (line) => process.stderr.write(`demo: ${line}\n`),
      });
      return print({ submissions: tally, hub: await hub.get('/success-rate') });
    }
    default:
      out(USAGE);
      if (!v.help && command !== undefined)
        throw new Error(`unknown command ${positionals.join(' ')}`);
  }
}

run(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`)).catch((e: unknown) => {
  process.stderr.write(`hubctl: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
