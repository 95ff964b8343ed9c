import { parseArgs } from 'node:util';
import { HubClient } from './hub-client';

const USAGE = `hubctl — the LGSP hub from the command line

  hubctl transactions <eventId>                   transactions opened by one event
  hubctl transactions [--service S] [--status X]  recent transactions
  hubctl success-rate [--service S] [--from ISO] [--to ISO]
  hubctl catalogue                                systems, services and subscriptions
  hubctl dlq list [--consumer C] [--service S] [--error CODE] [--summary]
  hubctl dlq replay (--event ID ... | --consumer C | --service S | --error CODE | --all)

  HUB_URL (default http://127.0.0.1:3000) says where the hub is; HUB_API_KEY is sent as
  the caller's credential (dead letters need an operator or admin key).`;

const OPTIONS = {
  service: { type: 'string' },
  status: { type: 'string' },
  consumer: { type: 'string' },
  error: { type: 'string' },
  event: { type: 'string', multiple: true },
  from: { type: 'string' },
  to: { type: 'string' },
  all: { type: 'boolean' },
  summary: { type: 'boolean' },
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
  switch (`${command} ${command === 'dlq' ? arg : ''}`.trim()) {
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
