import type { INestApplication } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import pino from 'pino';
import type { ServiceConfig } from './config';
import { exitOnSignals } from './shutdown';

/** A running service whose `close` takes `closeMs` (never, when undefined). */
function fakeService(closeMs: number | undefined, deadlineMs: number) {
  const closeAllConnections = jest.fn();
  const app = {
    getHttpServer: () => ({ closeAllConnections }),
    close: () =>
      new Promise<void>((resolve) => {
        if (closeMs !== undefined) setTimeout(resolve, closeMs);
      }),
  } as unknown as INestApplication;
  const config = { SHUTDOWN_TIMEOUT_MS: deadlineMs } as ServiceConfig;
  return { app, config, logger: pino({ level: 'silent' }), closeAllConnections };
}

/** Sends `signal` and resolves with the exit code and how long it took. */
function signalAndWait(svc: ReturnType<typeof fakeService>, signal = 'SIGTERM') {
  const signals = new EventEmitter();
  return new Promise<{ code: number; ms: number }>((resolve) => {
    const t0 = Date.now();
    exitOnSignals(svc, (code) => resolve({ code, ms: Date.now() - t0 }), signals as never);
    signals.emit(signal);
  });
}

describe('exitOnSignals', () => {
  it('exits 0 once the service has closed', async () => {
    const { code, ms } = await signalAndWait(fakeService(20, 5000));
    expect(code).toBe(0);
    expect(ms).toBeLessThan(1000);
  });

  it('exits 1 at the deadline when closing hangs', async () => {
    const { code, ms } = await signalAndWait(fakeService(undefined, 300), 'SIGINT');
    expect(code).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(2000);
  });

  it('cuts the connections of requests still under way after the grace period', async () => {
    const svc = fakeService(2500, 5000);
    const { code } = await signalAndWait(svc);
    expect(code).toBe(0);
    expect(svc.closeAllConnections).toHaveBeenCalled();
  });
});
