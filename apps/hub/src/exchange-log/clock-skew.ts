import type { Metrics } from '@lgsp/observability';
import type { Counter, Histogram } from 'prom-client';
import type { NewLogEntry } from './log-entry.mapper';

/**
 * How far a record's own time may run ahead of the broker's append time before it is
 * corrected. A record cannot occur after the broker appended it, so anything ahead is a
 * clock running fast; but hosts kept by NTP disagree by a few milliseconds, and a record's
 * logged time is part of its identity in the log (a copy sent again is recognised by id and
 * time). Below 50 ms the record keeps its own time — the SQL still never lets a latency go
 * below zero — so a correction means a clock that needs fixing, not the usual jitter.
 */
export const CLOCK_SKEW_TOLERANCE_MS = 50;

/**
 * An entry whose time is later than its record's broker timestamp (`LogAppendTime` on the
 * hub's topics) by more than the tolerance takes the broker's time instead, and keeps the
 * difference in `clockSkewMs`. A receipt's reception time moves back by as much, so the
 * consumer's own handling time stays as it reported it. Without a broker time, or within
 * the tolerance, the entry is unchanged.
 */
export function boundedByAppendTime(entry: NewLogEntry, brokerTimestamp: string): NewLogEntry {
  const appendedAt = Number(brokerTimestamp);
  if (!Number.isFinite(appendedAt) || appendedAt <= 0) return entry;
  const skew = entry.occurredAt.getTime() - appendedAt;
  if (skew <= CLOCK_SKEW_TOLERANCE_MS) return entry;
  const { receipt } = entry;
  return {
    ...entry,
    occurredAt: new Date(appendedAt),
    clockSkewMs: skew,
    ...(receipt && {
      receipt: { ...receipt, receivedAt: new Date(receipt.receivedAt.getTime() - skew) },
    }),
  };
}

/** The system whose clock stamped an entry: the provider of a publication, else the sender of the outcome. */
export function clockOwner(e: NewLogEntry): string {
  return (e.kind === 'PUBLISHED' ? e.provider : e.consumer) ?? '';
}

/** What operators see of clock skew: how often, whose clock, by how much. */
export class ClockSkewMetrics {
  private readonly corrections: Counter<'system' | 'kind'>;
  private readonly skew: Histogram<'system' | 'kind'>;

  constructor(metrics: Metrics) {
    this.corrections = metrics.counter({
      name: 'lgsp_clock_skew_corrections_total',
      help: 'Log entries whose time ran ahead of the broker append time and was replaced by it',
      labelNames: ['system', 'kind'],
    });
    this.skew = metrics.histogram({
      name: 'lgsp_clock_skew_seconds',
      help: 'How far ahead of the broker append time a corrected entry’s own time was',
      labelNames: ['system', 'kind'],
      buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 300, 3600],
    });
  }

  /** Counts the entries just logged (not those read again) that were corrected. */
  observe(entries: readonly NewLogEntry[]): void {
    for (const e of entries) {
      if (e.clockSkewMs === undefined) continue;
      const labels = { system: clockOwner(e), kind: e.kind };
      this.corrections.inc(labels);
      this.skew.observe(labels, e.clockSkewMs / 1000);
    }
  }
}
