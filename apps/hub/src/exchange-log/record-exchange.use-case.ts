import { Inject, Injectable } from '@nestjs/common';
import type { InboundMessage } from '@lgsp/messaging';
import { Metrics } from '@lgsp/observability';
import { DataSource, type EntityManager } from 'typeorm';
import { type Route, Catalogue } from '../catalogue/catalogue.service';
import { StoredValues } from '../privacy/stored-values';
import { DELIVERY_DEADLINE_SECONDS } from './delivery-deadlines';
import { toLogEntry, type NewLogEntry } from './log-entry.mapper';
import { ClockSkewMetrics } from './clock-skew';
import { isPassingFailure, unstorableEntry } from './unstorable-record';
import { GroupCommit } from './group-commit';
import { PastMonthPartitions } from './past-month-partitions';

/** Log-entry columns, their types, and where each value comes from. */
const ENTRY_COLUMNS: [string, string, (e: NewLogEntry) => unknown][] = [
  ['record_id', 'text', (e) => e.recordId],
  ['kind', 'text', (e) => e.kind],
  ['event_id', 'text', (e) => e.eventId],
  ['event_type', 'text', (e) => e.eventType],
  ['service_code', 'text', (e) => e.serviceCode],
  ['provider', 'text', (e) => e.provider],
  ['consumer', 'text', (e) => e.consumer],
  ['status', 'text', (e) => e.status],
  ['error_code', 'text', (e) => e.errorCode],
  ['reason', 'text', (e) => e.reason],
  ['subject_hash', 'text', (e) => e.subjectHash],
  ['correlation_id', 'text', (e) => e.correlationId],
  ['payload_sha256', 'text', (e) => e.payloadSha256],
  ['outcome', 'text', (e) => e.outcome ?? null],
  ['occurred_at', 'timestamptz', (e) => e.occurredAt.toISOString()],
  ['topic', 'text', (e) => e.topic],
  ['kafka_partition', 'integer', (e) => e.kafkaPartition],
  ['kafka_offset', 'bigint', (e) => e.kafkaOffset],
];
const ENTRY_NAMES = ENTRY_COLUMNS.map(([c]) => c).join(', ');
const ENTRY_RECORD = ENTRY_COLUMNS.map(([c, type]) => `${c} ${type}`).join(', ');
/**
 * A receipt's subject is its event's, as the hub computed it when it logged the event (one
 * probe of the transactions' primary key); a receipt read before its event has none.
 */
const RECEIPT_SUBJECT = `COALESCE(r.subject_hash, CASE WHEN r.kind = 'RECEIPT' THEN
  (SELECT t.subject_hash FROM transactions t
    WHERE t.event_id = r.event_id AND t.subject_hash IS NOT NULL LIMIT 1) END)`;
const ENTRY_VALUES = ENTRY_COLUMNS.map(([c]) =>
  c === 'subject_hash' ? RECEIPT_SUBJECT : `r.${c}`,
).join(', ');

/**
 * Writes a batch of Kafka records into the exchange log and brings the transaction
 * projection up to date, in one database transaction. A record already logged (same
 * record id: republished, or read again) is skipped, so re-reading a stream changes nothing.
 * The batches of all partitions being read go through one group commit: one writer, large
 * transactions, and no two writers of this process waiting on each other's roll-up rows.
 */
@Injectable()
export class RecordExchangeUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Catalogue) private readonly catalogue: Catalogue,
    @Inject(DELIVERY_DEADLINE_SECONDS) private readonly deadlineSeconds: number,
    @Inject(Metrics) metrics: Metrics,
    @Inject(StoredValues) private readonly values: StoredValues,
  ) {
    this.entries = metrics.counter({
      name: 'lgsp_log_entries_total',
      help: 'Exchange-log entries written, by kind, status and service',
      labelNames: ['kind', 'status', 'service'],
    });
    this.latency = metrics.histogram({
      name: 'lgsp_transaction_latency_seconds',
      help: 'End to end, from publication to the consumer’s receipt, of transactions closed by a receipt',
      labelNames: ['service', 'status'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    });
    this.clockSkew = new ClockSkewMetrics(metrics);
    this.pastMonths = new PastMonthPartitions(dataSource);
  }

  private readonly entries;
  private readonly latency;
  private readonly clockSkew: ClockSkewMetrics;
  private readonly pastMonths: PastMonthPartitions;
  private readonly group = new GroupCommit<Prepared>((items) => this.writeOrSetAside(items));

  /**
   * Resolves once the messages are durably in the log (with whatever else was written
   * alongside). They are read into entries here, by the caller, so that reading the next
   * batches goes on while the one writer waits for the database.
   */
  async record(messages: InboundMessage[]): Promise<void> {
    const routes = await this.catalogue.routes();
    return this.group.submit(messages.map((m) => ({ message: m, entry: this.entryOf(m, routes) })));
  }

  /** A record that cannot even be read into an entry is logged as an unstorable one. */
  private entryOf(m: InboundMessage, routes: Map<string, Route>): NewLogEntry {
    try {
      return toLogEntry(m, routes, this.values);
    } catch (e) {
      return unstorableEntry(m, e);
    }
  }

  /**
   * Writes the entries; if they fail together for a reason that will not pass, writes them
   * one by one, and each that still fails alone is logged as an unstorable record instead
   * (see unstorableEntry), so that no record can stop the log of its partition. When even
   * that entry cannot be written, the database itself is failing: the error goes up and the
   * batch is read again.
   */
  private async writeOrSetAside(items: Prepared[]): Promise<number> {
    const routes = await this.catalogue.routes();
    try {
      return await this.write(items, routes);
    } catch (e) {
      if (isPassingFailure(e)) throw e;
    }
    let written = 0;
    for (const item of items) {
      try {
        written += await this.write([item], routes);
      } catch (e) {
        if (isPassingFailure(e)) throw e;
        written += await this.writeEntries([unstorableEntry(item.message, e)], new Map());
      }
    }
    return written;
  }

  private write(items: Prepared[], routes: Map<string, Route>): Promise<number> {
    const entries = items.map((i) => i.entry);
    subjectsFromBatch(entries);
    return this.writeEntries(entries, routes);
  }

  private async writeEntries(entries: NewLogEntry[], routes: Map<string, Route>): Promise<number> {
    // Old history gets its own month's partition, never the default one (see PastMonthPartitions).
    await this.pastMonths.ensure(entries.map((e) => e.occurredAt));
    const strays: Date[] = [];
    const { fresh, closed } = await this.dataSource.transaction(async (tx) => {
      const fresh = await this.append(tx, entries, strays);
      await this.openTransactions(
        tx,
        fresh.filter((e) => e.kind === 'PUBLISHED'),
        routes,
      );
      // Outcomes of the hub's own commands (replay requests) are logged, not counted.
      const outcomes = fresh.filter(
        (e) => e.kind !== 'PUBLISHED' && !e.eventType?.startsWith('hub.'),
      );
      const closed = await this.applyOutcomes(tx, outcomes);
      return { fresh, closed };
    });
    for (const e of fresh)
      this.entries.inc({ kind: e.kind, status: e.status ?? '', service: e.serviceCode ?? '' });
    this.clockSkew.observe(fresh);
    if (strays.length > 0) await this.pastMonths.moveOutOfDefault(strays);
    for (const t of closed) {
      if (t.latency_ms !== null)
        this.latency.observe(
          { service: t.service_code ?? '', status: t.status },
          t.latency_ms / 1000,
        );
    }
    return fresh.length;
  }

  /** `strays`: times of entries that fell into the default partition (a month just archived elsewhere). */
  private async append(
    tx: EntityManager,
    entries: NewLogEntry[],
    strays: Date[],
  ): Promise<NewLogEntry[]> {
    const unique = [...new Map(entries.map((e) => [e.recordId, e])).values()];
    if (unique.length === 0) return [];
    // One parameter however many entries (a group commit can exceed the protocol's 65,535).
    const rows = unique.map((e) =>
      Object.fromEntries(ENTRY_COLUMNS.map(([c, , get]) => [c, get(e)])),
    );
    const inserted: { record_id: string; stray: Date | null }[] = await tx.query(
      `INSERT INTO log_entries (${ENTRY_NAMES})
       SELECT ${ENTRY_VALUES} FROM jsonb_to_recordset($1::jsonb) AS r(${ENTRY_RECORD})
       ON CONFLICT (record_id, occurred_at) DO NOTHING
       RETURNING record_id,
                 CASE WHEN tableoid = 'log_entries_default'::regclass THEN occurred_at END AS stray`,
      [JSON.stringify(rows)],
    );
    for (const r of inserted) if (r.stray) strays.push(r.stray);
    const written = new Set(inserted.map((r) => r.record_id));
    return unique.filter((e) => written.has(e.recordId));
  }

  /**
   * One PENDING transaction per subscriber named in the catalogue, referring to the terms
   * (purpose and legal basis) of its subscription; an outcome that came first is kept, and
   * gets them here.
   */
  private async openTransactions(
    tx: EntityManager,
    published: NewLogEntry[],
    routes: Map<string, Route>,
  ): Promise<void> {
    const rows = latestPerTransaction(published).flatMap((e) =>
      (routes.get(e.eventType ?? '')?.subscribers ?? []).map((s) => ({
        event_id: e.eventId,
        consumer: s.consumer,
        event_type: e.eventType,
        service_code: e.serviceCode,
        provider: e.provider,
        subject_hash: e.subjectHash,
        correlation_id: e.correlationId,
        published_at: e.occurredAt.toISOString(),
        terms_id: s.termsId,
      })),
    );
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO transactions AS t (event_id, consumer, event_type, service_code, provider, status,
                                      subject_hash, correlation_id, published_at, terms_id, opened_late)
       SELECT r.event_id, r.consumer, r.event_type, r.service_code, r.provider, 'PENDING',
              r.subject_hash, r.correlation_id, r.published_at, r.terms_id,
              -- already past its deadline: the deadline check finds it by this flag
              r.published_at < now() - make_interval(secs => $2) + interval '1 minute'
         FROM jsonb_to_recordset($1::jsonb) AS r(event_id text, consumer text, event_type text,
              service_code text, provider text, subject_hash text, correlation_id text, published_at timestamptz,
              terms_id int)
       ON CONFLICT (event_id, consumer) DO UPDATE
          SET event_type = EXCLUDED.event_type, service_code = EXCLUDED.service_code,
              provider = EXCLUDED.provider, subject_hash = EXCLUDED.subject_hash,
              correlation_id = EXCLUDED.correlation_id, published_at = EXCLUDED.published_at,
              terms_id = EXCLUDED.terms_id,
              -- never below zero whatever the clocks; NULL while either time is unknown
              latency_ms = CASE WHEN t.completed_at < EXCLUDED.published_at THEN 0
                           ELSE (EXTRACT(EPOCH FROM t.completed_at - EXCLUDED.published_at) * 1000)::int END,
              late = COALESCE(t.completed_at - EXCLUDED.published_at > make_interval(secs => $2), false)`,
      [JSON.stringify(rows), this.deadlineSeconds],
    );
  }

  /**
   * A receipt or a rejection closes its transaction, even after its deadline (then it is
   * marked late); an older outcome never overwrites a newer one. A rejection at the door
   * has no publication: its own time stands in for it.
   */
  private async applyOutcomes(tx: EntityManager, outcomes: NewLogEntry[]): Promise<Closed[]> {
    const rows = latestPerTransaction(outcomes).map((e) => ({
      event_id: e.eventId,
      consumer: e.consumer,
      event_type: e.eventType,
      service_code: e.serviceCode,
      provider: e.provider,
      status: e.status,
      error_code: e.errorCode,
      reason: e.reason,
      attempts: e.receipt?.attempts ?? null,
      subject_hash: e.subjectHash,
      correlation_id: e.correlationId,
      received_at: e.receipt?.receivedAt.toISOString() ?? null,
      completed_at: e.occurredAt.toISOString(),
      published_at: e.kind === 'REJECTED' ? e.occurredAt.toISOString() : null,
    }));
    if (rows.length === 0) return [];
    return tx.query<Closed[]>(
      `INSERT INTO transactions AS t (event_id, consumer, event_type, service_code, provider, status,
                                      error_code, reason, attempts, subject_hash, correlation_id,
                                      received_at, completed_at, published_at, failed_at)
       SELECT r.event_id, r.consumer, r.event_type, r.service_code, r.provider, r.status, r.error_code,
              r.reason, r.attempts, r.subject_hash, r.correlation_id, r.received_at, r.completed_at, r.published_at,
              CASE WHEN r.status IN ('FAILED', 'REJECTED') THEN r.completed_at END
         FROM jsonb_to_recordset($1::jsonb) AS r(event_id text, consumer text, event_type text,
              service_code text, provider text, status text, error_code text, reason text, attempts int,
              subject_hash text, correlation_id text, received_at timestamptz, completed_at timestamptz,
              published_at timestamptz)
       ON CONFLICT (event_id, consumer) DO UPDATE
          SET status = EXCLUDED.status, error_code = EXCLUDED.error_code, reason = EXCLUDED.reason,
              attempts = EXCLUDED.attempts, received_at = EXCLUDED.received_at,
              completed_at = EXCLUDED.completed_at,
              failed_at = COALESCE(EXCLUDED.failed_at, t.failed_at), opened_late = false,
              event_type = COALESCE(t.event_type, EXCLUDED.event_type),
              service_code = COALESCE(t.service_code, EXCLUDED.service_code),
              provider = COALESCE(t.provider, EXCLUDED.provider),
              published_at = COALESCE(t.published_at, EXCLUDED.published_at),
              -- never below zero whatever the clocks; NULL while either time is unknown
              latency_ms = CASE WHEN EXCLUDED.completed_at < t.published_at THEN 0
                           ELSE (EXTRACT(EPOCH FROM EXCLUDED.completed_at - t.published_at) * 1000)::int END,
              late = t.status = 'TIMED_OUT'
                     OR COALESCE(EXCLUDED.completed_at - t.published_at > make_interval(secs => $2), false)
        WHERE t.completed_at IS NULL OR t.completed_at <= EXCLUDED.completed_at
       RETURNING t.status, t.latency_ms, t.service_code`,
      [JSON.stringify(rows), this.deadlineSeconds],
    );
  }
}

/** A record read into the entry that logs it. */
interface Prepared {
  message: InboundMessage;
  entry: NewLogEntry;
}

/** A transaction an outcome closed, as the projection now has it. */
interface Closed {
  status: string;
  latency_ms: number | null;
  service_code: string | null;
}

/** Receipts read in the same batch as their event take its subject hash from it. */
function subjectsFromBatch(entries: NewLogEntry[]): void {
  let published: Map<string, string> | undefined;
  for (const e of entries) {
    if (e.kind === 'PUBLISHED' && e.subjectHash !== null)
      (published ??= new Map()).set(e.eventId, e.subjectHash);
  }
  if (!published) return;
  for (const e of entries) {
    if (e.kind === 'RECEIPT' && e.subjectHash === null)
      e.subjectHash = published.get(e.eventId) ?? null;
  }
}

/** One statement may not touch a row twice: per (event, consumer), the latest entry wins. */
function latestPerTransaction(entries: NewLogEntry[]): NewLogEntry[] {
  const latest = new Map<string, NewLogEntry>();
  for (const e of entries) {
    const key = `${e.eventId}\u0000${e.consumer ?? ''}`;
    const seen = latest.get(key);
    if (!seen || seen.occurredAt <= e.occurredAt) latest.set(key, e);
  }
  return [...latest.values()];
}
