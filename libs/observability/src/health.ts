import { Controller, Get, HttpStatus, Injectable, Res } from '@nestjs/common';
import type { Response } from 'express';

/** Rejects when down; what it resolves to, if a string, is shown beside `up`. */
export type HealthCheck = () => Promise<unknown>;

/**
 * Which probe runs a check: `health` is `GET /health` (the database and the broker answer),
 * `ready` is `GET /health/ready` (this replica may be given work).
 */
export type HealthProbe = 'health' | 'ready';

export interface HealthResult {
  status: 'ok' | 'down';
  checks: Record<string, string>;
}

const TIMEOUT_MS: Record<HealthProbe, number> = { health: 3000, ready: 1000 };

/**
 * Modules register what must be reachable (database, Kafka) and what must be running (the
 * consumer), each for the probes it belongs to; a probe runs its checks at once, each
 * bounded by the probe's timeout, and names each one's answer.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, { check: HealthCheck; probes: HealthProbe[] }>();

  register(name: string, check: HealthCheck, probes: HealthProbe[] = ['health']): void {
    this.checks.set(name, { check, probes: [...probes] });
  }

  /** A check already registered counts for `probe` as well. */
  alsoFor(name: string, probe: HealthProbe): void {
    const c = this.checks.get(name);
    if (!c) throw new Error(`no health check named ${name}`);
    if (!c.probes.includes(probe)) c.probes.push(probe);
  }

  async run(probe: HealthProbe = 'health'): Promise<HealthResult> {
    const ms = TIMEOUT_MS[probe];
    const results = await Promise.all(
      [...this.checks]
        .filter(([, c]) => c.probes.includes(probe))
        .map(async ([name, { check }]) => {
          try {
            const detail = await withTimeout(check(), ms);
            return [name, typeof detail === 'string' ? `up: ${detail}` : 'up'] as const;
          } catch (e) {
            return [name, `down: ${(e as Error).message}`] as const;
          }
        }),
    );
    const checks = Object.fromEntries(results);
    const status = results.every(([, r]) => r.startsWith('up')) ? 'ok' : 'down';
    return { status, checks };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * `GET /health`: the database and the broker answer (503 naming what does not). Unchanged by
 * the probes below: start-up waits, the tests and the benchmarks rely on it.
 * `GET /health/live`: the process answers; nothing else is asked, so that a database or a
 * broker that is down never gets a replica restarted.
 * `GET /health/ready`: this replica may be given work — its database answers within a second
 * and its Kafka consumer is a member of its group (see docs/operations.md).
 */
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthRegistry) {}

  @Get()
  check(@Res({ passthrough: true }) res: Response): Promise<HealthResult> {
    return this.answer('health', res);
  }

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  ready(@Res({ passthrough: true }) res: Response): Promise<HealthResult> {
    return this.answer('ready', res);
  }

  private async answer(probe: HealthProbe, res: Response): Promise<HealthResult> {
    const result = await this.health.run(probe);
    res.status(result.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return result;
  }
}
