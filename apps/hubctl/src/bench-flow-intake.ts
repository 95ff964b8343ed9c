import { http } from '@lgsp/testing';
import type { BirthBody } from './bench-flow-records';

export type Outcome = 'CREATED' | 'EXISTING' | 'REFUSED' | 'FAILED';

/**
 * What one phase submitted and how intake answered; the correlation ids of the accepted
 * submissions are how the phase finds its own transactions in the hub, exactly.
 */
export class Tally {
  readonly correlationIds: string[] = [];
  readonly byKind: Record<string, Partial<Record<Outcome, number>>> = {};
  /** A few refusals and failures as intake worded them, for the report. */
  readonly problems: string[] = [];
  lastProblem?: string;

  add(kind: string, outcome: Outcome, correlationIds: string[] = [], problem?: string): void {
    const k = (this.byKind[kind] ??= {});
    k[outcome] = (k[outcome] ?? 0) + 1;
    if (outcome === 'CREATED') this.correlationIds.push(...correlationIds);
    if (problem) this.lastProblem = `${kind}: ${problem}`;
    if (problem && this.problems.length < 10) this.problems.push(`${kind}: ${problem}`);
  }

  count(outcome: Outcome, kind?: string): number {
    return Object.entries(this.byKind)
      .filter(([k]) => kind === undefined || k === kind)
      .reduce((s, [, o]) => s + (o[outcome] ?? 0), 0);
  }
}

interface BatchAnswer {
  results?: { status: Outcome; correlationId?: string; code?: string; message?: string }[];
}

interface SingleAnswer {
  correlationId?: string;
  batches?: string[];
  code?: string;
  message?: string;
}

/** Runs tasks with at most `width` of them at a time. */
export async function inPool(tasks: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
}

/** Single requests that one batch's worth of births becomes when there is no batch endpoint. */
const SINGLE_WIDTH = 8;

/**
 * Civil-status's intake: `POST /births/batch` where it exists, otherwise concurrent
 * single `POST /births` (chosen once, by asking the batch endpoint with an empty body).
 */
export class Intake {
  private constructor(
    private readonly civilStatus: string,
    readonly mode: 'batch' | 'single',
  ) {}

  static async open(civilStatusUrl: string): Promise<Intake> {
    const probe = await http('POST', `${civilStatusUrl}/births/batch`, { items: [] });
    return new Intake(civilStatusUrl, probe.status === 404 ? 'single' : 'batch');
  }

  async births(bodies: BirthBody[], tally: Tally): Promise<void> {
    if (this.mode === 'single') {
      const url = `${this.civilStatus}/births`;
      const tasks = bodies.map((b) => () => this.post('birth', url, b, tally));
      return inPool(tasks, SINGLE_WIDTH);
    }
    try {
      const res = await http<BatchAnswer>('POST', `${this.civilStatus}/births/batch`, {
        items: bodies,
      });
      if (res.status !== 200 || !res.body?.results) {
        const why = `batch answered ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
        for (let i = 0; i < bodies.length; i++) tally.add('birth', 'FAILED', [], why);
        return;
      }
      for (const r of res.body.results) {
        const id = r.correlationId ? [r.correlationId] : [];
        const why = r.status === 'REFUSED' ? `${r.code ?? ''} ${r.message ?? ''}` : undefined;
        tally.add('birth', r.status, id, why);
      }
    } catch (e) {
      for (let i = 0; i < bodies.length; i++) tally.add('birth', 'FAILED', [], String(e));
    }
  }

  /**
   * One submission over its own endpoint: 201 is new, 200 a repeat of an earlier one, 4xx
   * a refusal, anything else a failure. A card-link request names one correlation id per
   * batch of cards it sent.
   */
  async post(kind: string, url: string, body: object, tally: Tally): Promise<void> {
    try {
      const res = await http<SingleAnswer>('POST', url, body);
      const ids = res.body?.batches ?? (res.body?.correlationId ? [res.body.correlationId] : []);
      // A card-link request that found no card left to link started nothing.
      if (res.status === 201 && (res.body?.batches === undefined || ids.length > 0))
        return tally.add(kind, 'CREATED', ids);
      if (res.status === 200 || res.status === 201) return tally.add(kind, 'EXISTING');
      const why = `${res.status} ${res.body?.code ?? ''} ${res.body?.message ?? ''}`;
      tally.add(kind, res.status < 500 ? 'REFUSED' : 'FAILED', [], why);
    } catch (e) {
      tally.add(kind, 'FAILED', [], String(e));
    }
  }
}
