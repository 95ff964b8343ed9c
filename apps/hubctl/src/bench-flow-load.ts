import type { Rng } from '@lgsp/testing';
import { dueNow } from './bench-flow-stats';
import { inPool, type Intake, type Tally } from './bench-flow-intake';
import type { BirthMaker, MixMaker } from './bench-flow-records';

/** Sends `records` submissions as one unit of work (one batch request, or a few singles). */
export type SendUnit = (records: number, tally: Tally) => Promise<void>;

export function birthsOnly(intake: Intake, births: BirthMaker): SendUnit {
  return (n, tally) =>
    intake.births(
      Array.from({ length: n }, () => births.next()),
      tally,
    );
}

/** The mix `hubctl demo` keeps flowing, without its deliberately invalid submissions. */
const MIX = [
  ['birth', 50],
  ['death', 12],
  ['land registration', 15],
  ['card link request', 12],
] as const;

export function mixed(
  intake: Intake,
  births: BirthMaker,
  mix: MixMaker,
  rng: Rng,
  urls: { civilStatus: string; land: string; insurance: string },
): SendUnit {
  const total = MIX.reduce((s, [, w]) => s + w, 0);
  const kindOf = () => {
    let r = rng.next() * total;
    return (MIX.find(([, w]) => (r -= w) < 0) ?? MIX[0])[0];
  };
  return async (n, tally) => {
    const kinds = Array.from({ length: n }, kindOf);
    const singles: (() => Promise<void>)[] = [];
    for (const kind of kinds) {
      const post = (url: string, body: object) => () => intake.post(kind, url, body, tally);
      if (kind === 'death') {
        const death = mix.death();
        if (death) singles.push(post(`${urls.civilStatus}/deaths`, death));
      } else if (kind === 'land registration')
        singles.push(post(`${urls.land}/parcels`, mix.parcel()));
      else if (kind === 'card link request')
        singles.push(post(`${urls.insurance}/cards/link-requests`, { limit: 20, batchSize: 10 }));
    }
    const bodies = kinds.filter((k) => k === 'birth').map(() => births.next());
    await Promise.all([
      bodies.length > 0 ? intake.births(bodies, tally) : undefined,
      inPool(singles, 8),
    ]);
  };
}

/** When sending began and its last answer came, and how many records went out. */
export interface SendWindow {
  startMs: number;
  endMs: number;
  records: number;
  /** Paced phases: ticks that had to wait for an answer because the in-flight bound was full. */
  heldBack?: number;
}

type Progress = (elapsedSeconds: number, records: number, inFlight: number) => void;

/** Calls `progress` once a second until the returned function stops it. */
function everySecond(startMs: number, state: () => [number, number], progress: Progress) {
  const timer = setInterval(
    () => progress(Math.round((Date.now() - startMs) / 1000), ...state()),
    1000,
  );
  return () => clearInterval(timer);
}

/**
 * Open loop at the maximum: as soon as one of the `inFlight` units is answered, the next
 * goes out, for `seconds`; intake, not the driver, sets the pace.
 */
export async function openLoop(o: {
  seconds: number;
  inFlight: number;
  unit: number;
  send: SendUnit;
  tally: Tally;
  progress: Progress;
}): Promise<SendWindow> {
  const startMs = Date.now();
  const flying = new Set<Promise<void>>();
  const watch = new Watchdog(o.tally);
  let records = 0;
  const stop = everySecond(startMs, () => [records, flying.size], o.progress);
  try {
    while (Date.now() - startMs < o.seconds * 1000) {
      if (flying.size >= o.inFlight) {
        await Promise.race(flying);
        await watch.check();
        continue;
      }
      const p: Promise<void> = o.send(o.unit, o.tally).finally(() => flying.delete(p));
      flying.add(p);
      records += o.unit;
    }
    await Promise.all(flying);
  } finally {
    stop();
  }
  return { startMs, endMs: Date.now(), records };
}

/**
 * Paced open loop: every `tickMs` whatever the fixed schedule says is due goes out as one
 * unit, without waiting for earlier answers unless `inFlight` units are already out; a late
 * tick catches up (at most `maxUnit` records per unit).
 */
export async function paced(o: {
  seconds: number;
  perSecond: number;
  tickMs: number;
  inFlight: number;
  maxUnit: number;
  send: SendUnit;
  tally: Tally;
  progress: Progress;
}): Promise<SendWindow> {
  const startMs = Date.now();
  const flying = new Set<Promise<void>>();
  const watch = new Watchdog(o.tally);
  let records = 0;
  let heldBack = 0;
  const stop = everySecond(startMs, () => [records, flying.size], o.progress);
  try {
    for (;;) {
      const elapsed = Date.now() - startMs;
      if (elapsed >= o.seconds * 1000) break;
      const due = Math.min(o.maxUnit, dueNow(o.perSecond, elapsed, records));
      if (due > 0) {
        if (flying.size >= o.inFlight) {
          heldBack++;
          await Promise.race(flying);
        }
        const p: Promise<void> = o.send(due, o.tally).finally(() => flying.delete(p));
        flying.add(p);
        records += due;
      }
      await watch.check();
      // To the next tick boundary: a tick missed while waiting is not replayed, its records are
      // simply due at the next one.
      await sleep(o.tickMs - ((Date.now() - startMs) % o.tickMs));
    }
    await Promise.all(flying);
  } finally {
    stop();
  }
  return { startMs, endMs: Date.now(), records, heldBack };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Intake that fails everything (a service down, the stack stopping) must neither turn the
 * open loop into a busy loop nor keep a phase going for nothing: after a unit that got no
 * answer the driver pauses a little, and after `limitMs` without any answer it gives up.
 */
class Watchdog {
  private answered = 0;
  private failed = 0;
  private lastGoodMs = Date.now();

  constructor(
    private readonly tally: Tally,
    private readonly limitMs = 15_000,
  ) {}

  async check(): Promise<void> {
    const t = this.tally;
    const answered = t.count('CREATED') + t.count('EXISTING') + t.count('REFUSED');
    const failed = t.count('FAILED');
    // Slow answers are not failures: only new failures with no answer in between count.
    const failing = answered === this.answered && failed > this.failed;
    [this.answered, this.failed] = [answered, failed];
    if (!failing) {
      this.lastGoodMs = Date.now();
      return;
    }
    if (Date.now() - this.lastGoodMs > this.limitMs)
      throw new Error(
        `intake answered nothing for ${this.limitMs / 1000} s; last failure: ${t.lastProblem}`,
      );
    await sleep(250);
  }
}
