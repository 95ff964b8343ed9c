import type { Env } from '@lgsp/platform';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { eventually } from './eventually';
import { REPO_ROOT } from './infrastructure';
import { grantKafkaAccess } from './kafka-access';
import { testRun } from './run-environment';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A service run as its own process from the build (`node scripts/run-app.js <app>`), so
 * that a test can kill it as an operating system would. Output goes to `logDir/<app>.log`.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private exit?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** How the process last exited (its code, or the signal that killed it). */
  exited?: { code: number | null; signal: NodeJS.Signals | null };

  constructor(
    readonly app: string,
    private readonly env: Env,
    readonly port: number,
    private readonly logDir: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    // On the run's closed broker, the principal serviceTestEnv named must exist, with its
    // ACLs (a spec that runs a broker of its own grants them there itself).
    if (this.env.KAFKA_SASL_USERNAME && this.env.KAFKA_BROKERS === testRun().brokers)
      await grantKafkaAccess(this.env.KAFKA_TOPIC_PREFIX ?? '', this.env);
    mkdirSync(this.logDir, { recursive: true });
    const log = openSync(join(this.logDir, `${this.app}.log`), 'a');
    const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts/run-app.js'), this.app], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, ...this.env, PORT: String(this.port) },
      stdio: ['ignore', log, log],
    });
    this.child = child;
    this.exited = undefined;
    this.exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve((this.exited = { code, signal }))),
    );
    await eventually(
      async () => {
        if (child.exitCode !== null)
          throw new Error(`${this.app} exited with ${child.exitCode}; see ${this.logDir}`);
        const res = await fetch(`${this.url}/health`).catch(() => undefined);
        return res?.ok ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: `${this.app} healthy` },
    );
  }

  /** SIGKILL: no chance to finish anything. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exit;
  }

  /** SIGTERM; resolves with how long the process took to exit. */
  async stop(): Promise<number> {
    if (!this.child || this.child.exitCode !== null) return 0;
    const t0 = Date.now();
    this.child.kill('SIGTERM');
    await this.exit;
    return Date.now() - t0;
  }
}
