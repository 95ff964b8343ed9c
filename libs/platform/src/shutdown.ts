import type { Server } from 'node:http';
import type { RunningService } from './bootstrap';

/** Requests under way when the service stops get this long to finish. */
export const HTTP_GRACE_MS = 2000;

/**
 * Stops a running service, in Nest's order: the HTTP server takes no new connection and the
 * requests under way get HTTP_GRACE_MS before their connections are cut; the consumers
 * finish the batch in hand and leave their group; background tasks, the outbox relay, the
 * Kafka clients and the database pool close. Each of those steps waits a bounded time
 * (a consumer's disconnect, a drain, a pool's close), so that one stuck on a broker or a
 * database that no longer answers does not hold up the rest.
 */
export async function stopService(svc: Pick<RunningService, 'app'>): Promise<void> {
  const server = svc.app.getHttpServer() as Server;
  const cut = setTimeout(() => server.closeAllConnections(), HTTP_GRACE_MS);
  cut.unref();
  try {
    await svc.app.close();
  } finally {
    clearTimeout(cut);
  }
}

type Signals = Pick<NodeJS.Process, 'on'>;

/**
 * On SIGTERM or SIGINT, stops the service and exits: 0 once everything has closed, 1 when
 * a step failed or SHUTDOWN_TIMEOUT_MS passed first — then the process leaves whatever is
 * still waiting. Nothing is lost by that: a batch not committed is read again, outbox rows
 * not deleted are sent again, and consumers are idempotent. Later signals change nothing.
 */
export function exitOnSignals(
  svc: Pick<RunningService, 'app' | 'config' | 'logger'>,
  exit: (code: number) => void = (code) => process.exit(code),
  signals: Signals = process,
): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    const t0 = Date.now();
    const deadlineMs = svc.config.SHUTDOWN_TIMEOUT_MS;
    svc.logger.info({ signal, deadlineMs }, 'shutting down');
    const deadline = setTimeout(() => {
      svc.logger.error({ deadlineMs }, 'shutdown deadline passed; exiting now');
      exit(1);
    }, deadlineMs);
    deadline.unref();
    stopService(svc).then(
      () => {
        clearTimeout(deadline);
        svc.logger.info({ tookMs: Date.now() - t0 }, 'stopped');
        exit(0);
      },
      (e: unknown) => {
        clearTimeout(deadline);
        svc.logger.error({ err: (e as Error).message }, 'shutdown failed');
        exit(1);
      },
    );
  };
  signals.on('SIGTERM', () => stop('SIGTERM'));
  signals.on('SIGINT', () => stop('SIGINT'));
}
