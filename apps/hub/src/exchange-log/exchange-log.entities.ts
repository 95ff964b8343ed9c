import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One append-only entry of the exchange log: a published event, a receipt or a rejection,
 * exactly as read from Kafka (its position makes re-reading idempotent). No personal
 * data: the subject is the pseudonymous key and the payload only its SHA-256.
 */
@Entity('log_entries')
// A record's time comes from the record, so (record id, time) is as unique as the record id.
@Index('IDX_log_entries_record', ['recordId', 'occurredAt'], { unique: true })
export class LogEntry {
  /**
   * Insertion order across every month's partition (seals name entries by it); the primary
   * key (id, occurred_at) serves look-ups and ranges by id.
   */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** The Kafka record's own id (`ce_id`; its position when unreadable): a record is logged once. */
  @Column('text')
  recordId: string;

  @Column('text')
  kind: string;

  /** The event the entry is about (for a receipt, the event it reports on). */
  @Index('IDX_log_entries_event')
  @Column('text')
  eventId: string;

  @Column('text', { nullable: true })
  eventType: string | null;

  @Column('text', { nullable: true })
  serviceCode: string | null;

  @Column('text', { nullable: true })
  provider: string | null;

  @Column('text', { nullable: true })
  consumer: string | null;

  @Column('text', { nullable: true })
  status: string | null;

  @Column('text', { nullable: true })
  errorCode: string | null;

  @Column('text', { nullable: true })
  reason: string | null;

  @Index('IDX_log_entries_subject')
  @Column('text', { nullable: true })
  subjectHash: string | null;

  @Index('IDX_log_entries_correlation')
  @Column('text', { nullable: true })
  correlationId: string | null;

  @Column('char', { length: 64, nullable: true })
  payloadSha256: string | null;

  /** For identity checks: MATCH, MISMATCH or NOT_FOUND (nothing personal). */
  @Column('text', { nullable: true })
  outcome: string | null;

  /** The month's partition is chosen by it. */
  @Index('IDX_log_entries_occurred')
  @PrimaryColumn('timestamptz')
  occurredAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  recordedAt: Date;

  @Column('text')
  topic: string;

  @Column('integer')
  kafkaPartition: number;

  @Column('bigint')
  kafkaOffset: string;
}

/** Current state of one transaction (event × consumer): a projection of the log. */
@Entity('transactions')
@Index('IDX_transactions_service_time', ['serviceCode', 'publishedAt'])
// No index may hold a column a receipt changes (status, times…): updates stay HOT.
@Index('IDX_transactions_published', ['publishedAt'])
export class ExchangeTransaction {
  @PrimaryColumn('text')
  eventId: string;

  @PrimaryColumn('text')
  consumer: string;

  @Column('text', { nullable: true })
  eventType: string | null;

  @Column('text', { nullable: true })
  serviceCode: string | null;

  @Column('text', { nullable: true })
  provider: string | null;

  @Column('text')
  status: string;

  @Column('text', { nullable: true })
  errorCode: string | null;

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('integer', { nullable: true })
  attempts: number | null;

  @Column('text', { nullable: true })
  subjectHash: string | null;

  @Index('IDX_transactions_correlation')
  @Column('text', { nullable: true })
  correlationId: string | null;

  @Column('timestamptz', { nullable: true })
  publishedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  receivedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  completedAt: Date | null;

  @Column('integer', { nullable: true })
  latencyMs: number | null;

  /** The receipt came after the delivery deadline (it still closed the transaction). */
  @Column('boolean', { default: false })
  late: boolean;

  @Column('timestamptz', { nullable: true })
  timedOutAt: Date | null;

  @Column('timestamptz', { nullable: true })
  replayRequestedAt: Date | null;

  /** Opened already past its deadline (its event read late): the deadline check's to find. */
  @Index('IDX_transactions_opened_late', { synchronize: false })
  @Column('boolean', { default: false, select: false })
  openedLate: boolean;

  /** When it became FAILED or REJECTED (kept after a replay succeeds): dead letters' index. */
  @Index('IDX_transactions_failed', { synchronize: false })
  @Column('timestamptz', { nullable: true, select: false })
  failedAt: Date | null;

  /**
   * The terms (purpose and legal basis) of the subscription it was delivered under, as the
   * catalogue worded them when it opened: a `subscription_terms` row.
   */
  @Column('integer', { nullable: true, select: false })
  termsId: number | null;

  /** Filled from its terms by `withTerms` when read for an answer; not a column. */
  purpose?: string | null;
  legalBasis?: string | null;
}
