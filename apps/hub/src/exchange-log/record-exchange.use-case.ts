import { Inject, Injectable } from '@nestjs/common';
import type { InboundMessage } from '@lgsp/messaging';
import { DataSource, type EntityManager } from 'typeorm';
import { Catalogue } from '../catalogue/catalogue.service';
import { toLogEntry, type NewLogEntry } from './log-entry.mapper';

const ENTRY_COLUMNS = [
  'kind',
  'event_id',
  'event_type',
  'service_code',
  'provider',
  'consumer',
  'status',
  'error_code',
  'reason',
  'subject_hash',
  'correlation_id',
  'payload_sha256',
  'occurred_at',
  'topic',
  'kafka_partition',
  'kafka_offset',
] as const;

/**
 * Writes a batch of Kafka records into the exchange log and brings the transaction
 * projection up to date, in one database transaction. Records already logged (same
 * topic, partition and offset) are skipped, so re-reading a stream changes nothing.
 */
@Injectable()
export class RecordExchangeUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Catalogue) private readonly catalogue: Catalogue,
  ) {}

  async record(messages: InboundMessage[]): Promise<number> {
    const routes = await this.catalogue.routes();
    const entries = messages.map((m) => toLogEntry(m, routes));
    return this.dataSource.transaction(async (tx) => {
      const fresh = await this.appendEntries(tx, entries);
      await this.openTransactions(
        tx,
        fresh.filter((e) => e.kind === 'PUBLISHED'),
        routes,
      );
      await this.applyOutcomes(
        tx,
        fresh.filter((e) => e.kind !== 'PUBLISHED'),
      );
      return fresh.length;
    });
  }

  private async appendEntries(tx: EntityManager, entries: NewLogEntry[]): Promise<NewLogEntry[]> {
    if (entries.length === 0) return [];
    const params: unknown[] = [];
    const rows = entries.map((e) => {
      const values = [
        e.kind,
        e.eventId,
        e.eventType,
        e.serviceCode,
        e.provider,
        e.consumer,
        e.status,
        e.errorCode,
        e.reason,
        e.subjectHash,
        e.correlationId,
        e.payloadSha256,
        e.occurredAt.toISOString(),
        e.topic,
        e.kafkaPartition,
        e.kafkaOffset,
      ];
      const start = params.length;
      params.push(...values);
      return `(${values.map((_, i) => `$${start + i + 1}`).join(', ')})`;
    });
    const inserted: { topic: string; kafka_partition: number; kafka_offset: string }[] =
      await tx.query(
        `INSERT INTO log_entries (${ENTRY_COLUMNS.join(', ')}) VALUES ${rows.join(', ')}
       ON CONFLICT (topic, kafka_partition, kafka_offset) DO NOTHING
       RETURNING topic, kafka_partition, kafka_offset::text`,
        params,
      );
    const key = (t: string, p: number, o: string) => `${t}/${p}/${o}`;
    const written = new Set(inserted.map((r) => key(r.topic, r.kafka_partition, r.kafka_offset)));
    return entries.filter((e) => written.has(key(e.topic, e.kafkaPartition, e.kafkaOffset)));
  }

  /** One PENDING transaction per subscriber named in the catalogue; a receipt that came first is kept. */
  private async openTransactions(
    tx: EntityManager,
    published: NewLogEntry[],
    routes: Awaited<ReturnType<Catalogue['routes']>>,
  ): Promise<void> {
    const rows = latestPerTransaction(published).flatMap((e) =>
      (routes.get(e.eventType ?? '')?.subscribers ?? []).map((consumer) => [
        e.eventId,
        consumer,
        e.eventType,
        e.serviceCode,
        e.provider,
        e.subjectHash,
        e.correlationId,
        e.occurredAt.toISOString(),
      ]),
    );
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO transactions AS t (event_id, consumer, event_type, service_code, provider, status,
                                      subject_hash, correlation_id, published_at)
       SELECT r.event_id, r.consumer, r.event_type, r.service_code, r.provider, 'PENDING',
              r.subject_hash, r.correlation_id, r.published_at
         FROM jsonb_to_recordset($1::jsonb) AS r(event_id text, consumer text, event_type text,
              service_code text, provider text, subject_hash text, correlation_id text, published_at timestamptz)
       ON CONFLICT (event_id, consumer) DO UPDATE
          SET event_type = EXCLUDED.event_type, service_code = EXCLUDED.service_code,
              provider = EXCLUDED.provider, subject_hash = EXCLUDED.subject_hash,
              correlation_id = EXCLUDED.correlation_id, published_at = EXCLUDED.published_at,
              latency_ms = CASE WHEN t.completed_at IS NULL THEN NULL
                                ELSE (EXTRACT(EPOCH FROM t.completed_at - EXCLUDED.published_at) * 1000)::int END`,
      [JSON.stringify(rows.map(toRecord(OPEN_FIELDS)))],
    );
  }

  /**
   * A receipt or a rejection closes its transaction; an older outcome never overwrites a
   * newer one. A rejection at the door has no publication: its own time stands in for it.
   */
  private async applyOutcomes(tx: EntityManager, outcomes: NewLogEntry[]): Promise<void> {
    if (outcomes.length === 0) return;
    const rows = latestPerTransaction(outcomes).map((e) => [
      e.eventId,
      e.consumer,
      e.eventType,
      e.serviceCode,
      e.provider,
      e.status,
      e.errorCode,
      e.reason,
      e.receipt?.attempts ?? null,
      e.subjectHash,
      e.correlationId,
      e.receipt?.receivedAt.toISOString() ?? null,
      e.occurredAt.toISOString(),
      e.kind === 'REJECTED' ? e.occurredAt.toISOString() : null,
    ]);
    await tx.query(
      `INSERT INTO transactions AS t (event_id, consumer, event_type, service_code, provider, status,
                                      error_code, reason, attempts, subject_hash, correlation_id,
                                      received_at, completed_at, published_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(event_id text, consumer text, event_type text,
              service_code text, provider text, status text, error_code text, reason text, attempts int,
              subject_hash text, correlation_id text, received_at timestamptz, completed_at timestamptz,
              published_at timestamptz)
       ON CONFLICT (event_id, consumer) DO UPDATE
          SET status = EXCLUDED.status, error_code = EXCLUDED.error_code, reason = EXCLUDED.reason,
              attempts = EXCLUDED.attempts, received_at = EXCLUDED.received_at,
              completed_at = EXCLUDED.completed_at,
              event_type = COALESCE(t.event_type, EXCLUDED.event_type),
              service_code = COALESCE(t.service_code, EXCLUDED.service_code),
              provider = COALESCE(t.provider, EXCLUDED.provider),
              published_at = COALESCE(t.published_at, EXCLUDED.published_at),
              latency_ms = CASE WHEN t.published_at IS NULL THEN NULL
                                ELSE (EXTRACT(EPOCH FROM EXCLUDED.completed_at - t.published_at) * 1000)::int END
        WHERE t.completed_at IS NULL OR t.completed_at <= EXCLUDED.completed_at`,
      [JSON.stringify(rows.map(toRecord(OUTCOME_FIELDS)))],
    );
  }
}

const OPEN_FIELDS = [
  'event_id',
  'consumer',
  'event_type',
  'service_code',
  'provider',
  'subject_hash',
  'correlation_id',
  'published_at',
];
const OUTCOME_FIELDS = [
  'event_id',
  'consumer',
  'event_type',
  'service_code',
  'provider',
  'status',
  'error_code',
  'reason',
  'attempts',
  'subject_hash',
  'correlation_id',
  'received_at',
  'completed_at',
  'published_at',
];

function toRecord(fields: string[]) {
  return (values: unknown[]) => Object.fromEntries(fields.map((f, i) => [f, values[i]]));
}

/**
 * One statement may not touch a row twice: keep, per (event, consumer), the latest entry.
 * A published event has no consumer yet, so it is keyed by its event id alone.
 */
function latestPerTransaction(entries: NewLogEntry[]): NewLogEntry[] {
  const latest = new Map<string, NewLogEntry>();
  for (const e of entries) {
    const key = `${e.eventId}\u0000${e.consumer ?? ''}`;
    const seen = latest.get(key);
    if (!seen || seen.occurredAt <= e.occurredAt) latest.set(key, e);
  }
  return [...latest.values()];
}
