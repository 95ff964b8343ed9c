import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The stack the benchmark drives: one that was running, or one it started and stops. */
export interface Stack {
  started: boolean;
  stop(): Promise<void>;
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

/** Waits until every service's /health says ok, or the deadline passes or `gone()` says the stack died. */
async function allHealthy(urls: string[], deadline: number, gone = () => false): Promise<void> {
  const waiting = new Set(urls);
  while (waiting.size > 0) {
    if (gone()) throw new Error('the stack exited before its services were healthy (see above)');
    if (Date.now() > deadline)
      throw new Error(`not healthy in time: ${[...waiting].map((u) => `${u}/health`).join(', ')}`);
    for (const u of [...waiting]) if (await healthy(u)) waiting.delete(u);
    if (waiting.size > 0) await new Promise((r) => setTimeout(r, 500));
  }
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Uses the stack whose hub answers at `hubUrl`; when nothing answers, starts one with
 * `npm start`'s script (install, build, Kafka, migrations, the five services) and hands back
 * how to stop it again: SIGINT, as Ctrl-C would, then a wait for it to exit. An interrupt
 * of the benchmark itself stops the stack it started before exiting.
 */
export async function ensureStack(o: {
  root: string;
  hubUrl: string;
  serviceUrls: string[];
  startTimeoutMs: number;
  env: NodeJS.ProcessEnv;
  say(line: string): void;
}): Promise<Stack> {
  if (await answers(o.hubUrl)) {
    o.say(`using the stack that answers at ${o.hubUrl}`);
    await allHealthy(o.serviceUrls, Date.now() + 30_000);
    return { started: false, stop: () => Promise.resolve() };
  }
  o.say(`nothing answers at ${o.hubUrl}: starting a stack (node deploy/local/stack.js)`);
  // Its output goes to stderr with the benchmark's progress; stdout stays for the result.
  const child = spawn(process.execPath, [join(o.root, 'deploy/local/stack.js')], {
    cwd: o.root,
    stdio: ['ignore', 2, 2],
    env: o.env,
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    o.say('stopping the stack it started');
    child.kill('SIGINT');
    if (!(await exited(child, 60_000))) {
      o.say('the stack did not stop within 60 s; killing it');
      child.kill('SIGKILL');
      await exited(child, 5_000);
    }
  };
  const interrupted = () => {
    o.say('interrupted');
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await allHealthy(o.serviceUrls, Date.now() + o.startTimeoutMs, () => child.exitCode !== null);
  } catch (e) {
    await stop();
    throw e;
  }
  o.say('the stack is up');
  return {
    started: true,
    stop: async () => {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      await stop();
    },
  };
}
