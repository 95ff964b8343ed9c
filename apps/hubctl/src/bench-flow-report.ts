import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawKafkaResult } from './bench-flow-kafka';
import type { Closure, Latency } from './bench-flow-log';
import type { RateSummary } from './bench-flow-stats';

/** One load phase: what was sent, how intake answered, how its transactions ended. */
export interface PhaseResult {
  name: string;
  /** Paced phases: the records per second the schedule asked for. */
  targetPerSecond?: number;
  sendSeconds: number;
  submissions: Record<string, Record<string, number>>;
  /** Records sent over the time from the first send to the last answer. */
  sentPerSecond: number;
  /** Of those, the ones intake took as new (the rest were repeats, refused or failed). */
  acceptedPerSecond: number;
  heldBack?: number;
  closure: Closure;
  problems: string[];
}

export interface MaximumResult extends PhaseResult {
  /** All the phase's transactions over the time from the first send to the last receipt logged. */
  loggedTxPerSecondWholeRun: number;
  /** Per-second counts while intake was busy too (its steady middle). */
  steadyWhileSending: RateSummary | null;
  /** After the last answer to intake, until the last receipt: the pipeline on its own. */
  loggedTxPerSecondDraining: number | null;
  /** Transactions logged in each second from the first send to the last receipt. */
  perSecond: number[];
  txPerRecord: number;
  wallSeconds: number;
  cpuSeconds: Record<string, number>;
}

export interface FixedRateResult extends PhaseResult {
  latency: Latency[];
}

export interface FlowResult {
  date: string;
  machine: Record<string, string | number>;
  settings: Record<string, string | number | boolean>;
  loggedTxPerSecond: number;
  rawKafkaMessagesPerSecond: number;
  halfLoad: {
    rate: number;
    achievedRate: number;
    p50Ms: number;
    p95Ms: number;
    p99Ms: number;
    maxMs: number;
  } | null;
  rawKafka: RawKafkaResult;
  maximum: MaximumResult;
  fixedRates: FixedRateResult[];
  failures: string[];
}

export function writeReport(dir: string, r: FlowResult): string[] {
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, 'throughput.json'), join(dir, 'throughput.md')];
  writeFileSync(files[0], `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(files[1], markdown(r, keptNotes(files[1])));
  return files;
}

const n = (x: number) => x.toLocaleString('en');
const table = (head: string[], rows: (string | number)[][]) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((c) => `| ${c.join(' | ')} |`),
  ].join('\n');

function phase(p: PhaseResult): string {
  const sent = Object.entries(p.submissions)
    .map(
      ([kind, o]) =>
        `${kind}: ${Object.entries(o)
          .map(([k, v]) => `${n(v)} ${k.toLowerCase()}`)
          .join(', ')}`,
    )
    .join('; ');
  const closed = Object.entries(p.closure.byStatus)
    .map(([k, v]) => `${n(v)} ${k}`)
    .join(', ');
  return [
    `Sending took ${p.sendSeconds} s${p.targetPerSecond ? ` at ${n(p.targetPerSecond)} records/s (schedule)` : ''}; sent ${n(p.sentPerSecond)} records/s, of which new ${n(p.acceptedPerSecond)}/s. ${sent}.`,
    `Transactions: ${closed || 'none'}; ${p.closure.open ? 'waited' : 'all closed'} ${p.closure.waitedSeconds} s after the last answer${p.closure.timedOut ? ' — **the wait ran out**' : ''}${p.closure.missing ? `; **${n(p.closure.missing)} never logged**` : ''}.`,
    p.heldBack
      ? `The schedule was held back ${p.heldBack} times by the in-flight bound (intake answered late).`
      : '',
    p.problems.length
      ? `Refusals and failures (first ${p.problems.length}):\n\n${p.problems.map((x) => `- ${x}`).join('\n')}`
      : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

/**
 * The team's analysis between these markers survives a new run: the figures around it are
 * regenerated, the notes are carried over from the file being replaced.
 */
const START = '<!-- where-the-time-goes: filled in by the team from profiles; kept across runs -->';
const END = '<!-- /where-the-time-goes -->';
const PLACEHOLDER = `**To be filled in from profiles**: what each process above spends its CPU on, and what
bounds the maximum. A V8 CPU profile of each service comes from a run with
\`LGSP_CPU_PROF_DIR=<dir>\` (the stack the benchmark starts passes it on); PostgreSQL's side
from \`pg_stat_statements\`; the broker's from its request metrics.`;

function keptNotes(file: string): string {
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const [a, b] = [old.indexOf(START), old.indexOf(END)];
  return a >= 0 && b > a ? old.slice(a + START.length, b).trim() : PLACEHOLDER;
}

function markdown(r: FlowResult, notes: string): string {
  const m = r.maximum;
  const s = m.steadyWhileSending;
  const cpu = Object.entries(m.cpuSeconds).sort(([, a], [, b]) => b - a);
  return `# Flow throughput — measured

Written by \`npm run bench:flow\` (\`hubctl bench flow\`) on ${r.date}. Do not edit by hand: run it again.

| Figure | Value |
| --- | --- |
| Logged transactions/s, sustained (all of the maximum phase's, first send → last receipt) | **${n(r.loggedTxPerSecond)}** |
| Logged transactions/s while intake was busy too (mean of the steady middle of the send window) | ${m.steadyWhileSending ? n(m.steadyWhileSending.mean) : '—'} |
| Logged transactions/s after intake stopped (the pipeline draining on its own) | ${m.loggedTxPerSecondDraining === null ? '—' : n(m.loggedTxPerSecondDraining)} |
| Raw Kafka pass-through, same client and broker (messages/s end to end) | **${n(r.rawKafkaMessagesPerSecond)}** |
| Half load: rate (records/s asked / achieved) | ${r.halfLoad ? `${n(r.halfLoad.rate)} / ${n(r.halfLoad.achievedRate)}` : '—'} |
| Half load: end-to-end latency p50 / p95 / p99 / max | ${r.halfLoad ? `${r.halfLoad.p50Ms} / ${r.halfLoad.p95Ms} / ${r.halfLoad.p99Ms} / ${r.halfLoad.maxMs} ms` : '—'} |

${r.failures.length ? `**The run failed in part:**\n\n${r.failures.map((f) => `- ${f}`).join('\n')}` : 'Every transaction the run opened was closed, with success.'}

## Machine

${table(['', ''], Object.entries(r.machine))}

## Settings

${table(
  ['', ''],
  Object.entries(r.settings).map(([k, v]) => [k, String(v)]),
)}

## Raw Kafka baseline

${n(r.rawKafka.messages)} records (value ${r.rawKafka.valueBytes} bytes, headers ${r.rawKafka.headerBytes} bytes, as \`birth-registered\`) to a fresh topic of ${r.rawKafka.partitions} partitions, produced in batches of ${r.rawKafka.batchSize} by an idempotent producer (acks all, one request in flight, as the outbox relay), consumed by a fresh group with the services' fetch settings: produce ${n(r.rawKafka.produceMessagesPerSecond)} messages/s; first produce → last consumed ${n(r.rawKafka.endToEndMessagesPerSecond)} messages/s (${n(r.rawKafka.consumed)} consumed in ${r.rawKafka.seconds} s).

## Maximum (open loop)

${phase(m)}

A record opened ${m.txPerRecord} transactions on average. The sustained figure counts every transaction of the phase over the time from its first send to its last receipt, so a backlog left at the end of sending counts against it. While sending (per-second counts of logged transactions, first quarter and last tenth of the send window left out): ${s ? `mean ${n(s.mean)}, median ${n(s.median)}, min ${n(s.min)}, max ${n(s.max)} over ${s.seconds} s` : '—'}. After the last answer, until the last receipt: ${m.loggedTxPerSecondDraining === null ? '—' : `${n(m.loggedTxPerSecondDraining)}/s`}.

Logged per second, from the first send to the last receipt: ${m.perSecond.join(' ')}

## Fixed rates (paced open loop)

${r.fixedRates
  .map(
    (f) =>
      `### ${f.name}\n\n${phase(f)}\n\nEnd-to-end latency (publication → receipt, exact over the rows):\n\n${table(
        ['service', 'transactions', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
        f.latency.map((l) => [l.service, n(l.transactions), l.p50Ms, l.p95Ms, l.p99Ms, l.maxMs]),
      )}\n`,
  )
  .join('\n')}
## Where the time goes

CPU seconds per process during the maximum phase (${m.wallSeconds} s from the first send until every transaction was closed; ${r.machine.cpus} cores make ${Math.round(Number(r.machine.cpus) * m.wallSeconds)} CPU seconds available):

${table(
  ['process', 'CPU s', 'share of one core'],
  cpu.map(([k, v]) => [k, v, `${Math.round((v / Math.max(0.1, m.wallSeconds)) * 100)} %`]),
)}

${START}
${notes}
${END}
`;
}
