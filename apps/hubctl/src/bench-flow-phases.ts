import { Tally } from './bench-flow-intake';
import { openLoop, paced, type SendUnit, type SendWindow } from './bench-flow-load';
import type { FlowLog } from './bench-flow-log';
import {
  BackendSightings,
  cpuSecondsBetween,
  readCpu,
  watchedProcesses,
} from './bench-flow-processes';
import type { FixedRateResult, MaximumResult, PhaseResult } from './bench-flow-report';
import { perSecond, round1, steadyMiddle, summariseRates } from './bench-flow-stats';

/** What the phases share: how to send, where to look, how long to wait. */
export interface PhaseContext {
  send: SendUnit;
  log: FlowLog;
  seconds: number;
  inFlight: number;
  unit: number;
  /** Transactions one accepted record opens, when that is known in advance (births: 3). */
  txPerRecord?: number;
  drainLimitMs: number;
  say(line: string): void;
}

async function drained(c: PhaseContext, name: string, tally: Tally, window: SendWindow) {
  const accepted = tally.count('CREATED');
  c.say(`${name}: ${accepted} records accepted; waiting for their transactions to close`);
  const closure = await c.log.waitClosed({
    ids: tally.correlationIds,
    expected: c.txPerRecord === undefined ? undefined : accepted * c.txPerRecord,
    sinceMs: window.startMs,
    limitMs: c.drainLimitMs,
    say: (line) => c.say(`${name}: ${line}`),
  });
  const sendSeconds = round1((window.endMs - window.startMs) / 1000);
  const result: PhaseResult = {
    name,
    sendSeconds,
    submissions: tally.byKind,
    sentPerSecond: round1(window.records / Math.max(0.001, sendSeconds)),
    acceptedPerSecond: round1(accepted / Math.max(0.001, sendSeconds)),
    heldBack: window.heldBack,
    closure,
    problems: tally.problems,
  };
  return result;
}

/** Prints a progress line a second, with the transactions the hub still holds open. */
function progressOf(c: PhaseContext, name: string, startMs: number) {
  let busy = false;
  return (elapsed: number, records: number, inFlight: number) => {
    if (busy) return;
    busy = true;
    void c.log
      .openSince(startMs - 1000)
      .then((open) =>
        c.say(
          `${name} ${elapsed}s: ${records} records sent, ${inFlight} units in flight, ${open} transactions open`,
        ),
      )
      .catch(() => undefined)
      .finally(() => (busy = false));
  };
}

/** Open loop at the maximum, with the CPU each process spent from the first send to the drain. */
export async function maximumPhase(c: PhaseContext): Promise<MaximumResult> {
  const cpuBefore = readCpu(watchedProcesses(await c.log.backendLabels()));
  const ownBefore = process.cpuUsage();
  const sightings = new BackendSightings();
  const watch = setInterval(() => {
    c.log.backendLabels().then(
      (labels) => sightings.see(readCpu(watchedProcesses(labels))),
      () => undefined, // a missed sighting only leaves that second unattributed
    );
  }, 1000);
  const tally = new Tally();
  const startMs = Date.now();
  let window: SendWindow;
  let phase: Awaited<ReturnType<typeof drained>>;
  try {
    window = await openLoop({
      seconds: c.seconds,
      inFlight: c.inFlight,
      unit: c.unit,
      send: c.send,
      tally,
      progress: progressOf(c, 'maximum', startMs),
    });
    phase = await drained(c, 'maximum', tally, window);
  } finally {
    clearInterval(watch);
  }
  const cpuAfter = readCpu(watchedProcesses(await c.log.backendLabels()));
  const cpuSeconds = cpuSecondsBetween(cpuBefore, cpuAfter, undefined, sightings);
  const own = process.cpuUsage(ownBefore);
  cpuSeconds['hubctl (this load driver)'] = round1((own.user + own.system) / 1e6);
  const wallSeconds = round1((Date.now() - window.startMs) / 1000);

  const times = await c.log.loggedTimes(tally.correlationIds);
  const last = times.reduce((a, b) => Math.max(a, b), window.startMs);
  const wholeSeconds = Math.max(0.001, (last - window.startMs) / 1000);
  const accepted = tally.count('CREATED');
  const afterSending = times.filter((t) => t >= window.endMs).length;
  return {
    ...phase,
    loggedTxPerSecondWholeRun: round1(times.length / wholeSeconds),
    steadyWhileSending: summariseRates(
      steadyMiddle(perSecond(times, window.startMs, window.endMs)),
    ),
    loggedTxPerSecondDraining:
      last > window.endMs ? round1(afterSending / ((last - window.endMs) / 1000)) : null,
    perSecond: perSecond(times, window.startMs, last + 1),
    txPerRecord: accepted > 0 ? round1(phase.closure.total / accepted) : 0,
    wallSeconds,
    cpuSeconds,
  };
}

/** Paced open loop at `perSecond`, then the exact latency of that phase's transactions. */
export async function fixedRatePhase(c: PhaseContext, perSecond: number): Promise<FixedRateResult> {
  const name = `${perSecond} records/s`;
  const tally = new Tally();
  const startMs = Date.now();
  const window = await paced({
    seconds: c.seconds,
    perSecond,
    // Small units often: ten a second, or fewer when the rate is low.
    tickMs: perSecond >= 10 ? 100 : Math.ceil(1000 / Math.max(1, perSecond)),
    inFlight: c.inFlight * 2,
    maxUnit: 1000,
    send: c.send,
    tally,
    progress: progressOf(c, name, startMs),
  });
  const phase = await drained(c, name, tally, window);
  return {
    ...phase,
    targetPerSecond: perSecond,
    latency: await c.log.latency(tally.correlationIds),
  };
}
