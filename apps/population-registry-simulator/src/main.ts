import { startPopulationSimulator } from './simulator';

/**
 * Runs the simulator on its own: PORT (default 3099), HOST (default 127.0.0.1) and
 * POPULATION_SIMULATOR_TOKEN (optional bearer token) from the environment; stops on
 * SIGINT or SIGTERM.
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3099);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be a port number, not ${process.env.PORT}`);
  }
  const simulator = await startPopulationSimulator({
    port,
    host: process.env.HOST ?? '127.0.0.1',
    token: process.env.POPULATION_SIMULATOR_TOKEN || undefined,
  });
  process.stdout.write(`population registry simulator listening on ${simulator.url}\n`);
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`population registry simulator did not start: ${String(e)}\n`);
  process.exit(1);
});
