import { parseArgs } from 'node:util';
import { HubClient } from './hub-client';

const USAGE = `hubctl — the LGSP hub from the command line

  hubctl transactions <eventId>                   transactions opened by one event
  hubctl transactions [--service S] [--status X]  recent transactions
  hubctl success-rate [--service S] [--from ISO] [--to ISO]
  hubctl catalogue                                systems, services and subscriptions

  HUB_URL (default http://127.0.0.1:3000) says where the hub is.`;

async function run(argv: string[], out: (s: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      service: { type: 'string' },
      status: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const hub = new HubClient(process.env.HUB_URL ?? 'http://127.0.0.1:3000');
  const print = (x: unknown) => out(JSON.stringify(x, null, 2));
  const [command, arg] = positionals;
  switch (command) {
    case 'transactions':
      return print(
        arg
          ? await hub.get(`/transactions/${encodeURIComponent(arg)}`)
          : await hub.get('/transactions', { service: values.service, status: values.status }),
      );
    case 'success-rate':
      return print(
        await hub.get(
          values.service
            ? `/services/${encodeURIComponent(values.service)}/success-rate`
            : '/success-rate',
          {
            from: values.from,
            to: values.to,
          },
        ),
      );
    case 'catalogue':
      return print({
        systems: await hub.get('/catalogue/systems'),
        services: await hub.get('/catalogue/services'),
        subscriptions: await hub.get('/catalogue/subscriptions'),
      });
    default:
      out(USAGE);
      if (!values.help && command !== undefined) throw new Error(`unknown command ${command}`);
  }
}

run(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`)).catch((e: unknown) => {
  process.stderr.write(`hubctl: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
