import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { LOGGER, Metrics } from '@lgsp/observability';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { buildSeal, type Seal, type SealableEntry } from './merkle';
import { SealRow } from './seal.entity';
import { SealSigner } from './seal-signature';
import { PeriodicTask } from '@lgsp/observability';
import { type LeaderLease, LeaderLeases } from '@lgsp/persistence';

export const SEAL_SETTINGS = Symbol('SEAL_SETTINGS');

/** Lock id: one seal is made at a time, even by two replicas that both believe they lead. */
const SEAL_LOCK = 724_155_003;

export interface SealSettings {
  intervalSeconds: number;
  maxEntries: number;
}

export const ENTRY_COLUMNS = `id::text AS id, record_id, kind, event_id, event_type, service_code, provider, consumer, status,
  error_code, reason, subject_hash, correlation_id, payload_sha256, outcome, occurred_at, topic, kafka_partition,
  kafka_offset::text AS kafka_offset`;

export interface EntryRow {
  id: string;
  record_id: string;
  kind: string;
  event_id: string;
  event_type: string | null;
  service_code: string | null;
  provider: string | null;
  consumer: string | null;
  status: string | null;
  error_code: string | null;
  reason: string | null;
  subject_hash: string | null;
  correlation_id: string | null;
  payload_sha256: string | null;
  outcome: string | null;
  occurred_at: Date;
  topic: string;
  kafka_partition: number;
  kafka_offset: string;
}

export const toEntry = (r: EntryRow): SealableEntry => ({
  id: r.id,
  recordId: r.record_id,
  kind: r.kind,
  eventId: r.event_id,
  eventType: r.event_type,
  serviceCode: r.service_code,
  provider: r.provider,
  consumer: r.consumer,
  status: r.status,
  errorCode: r.error_code,
  reason: r.reason,
  subjectHash: r.subject_hash,
  correlationId: r.correlation_id,
  payloadSha256: r.payload_sha256,
  outcome: r.outcome,
  occurredAt: r.occurred_at,
  topic: r.topic,
  kafkaPartition: r.kafka_partition,
  kafkaOffset: r.kafka_offset,
});

/** Log entries with `afterId < id <= lastId`, as they are stored now. */
export async function loadEntries(
  m: EntityManager,
  afterId: string | undefined,
  lastId: string,
): Promise<SealableEntry[]> {
  const rows = await m.query<EntryRow[]>(
    `SELECT ${ENTRY_COLUMNS} FROM log_entries WHERE id > $1 AND id <= $2 ORDER BY log_entries.id`,
    [afterId ?? '0', lastId],
  );
  return rows.map(toEntry);
}

export const toSeal = (r: SealRow): Seal => ({
  sequence: r.sequence,
  firstEntryId: String(r.firstEntryId),
  lastEntryId: String(r.lastEntryId),
  entryCount: r.entryCount,
  entryIds: r.entryIds.map(String),
  leafHashes: Array.from({ length: r.leafHashes.length / 32 }, (_, i) =>
    r.leafHashes.subarray(i * 32, i * 32 + 32).toString('hex'),
  ),
  merkleRoot: r.merkleRoot,
  previousSealHash: r.previousSealHash,
  sealHash: r.sealHash,
  ...(r.keyId !== null && { keyId: r.keyId }),
  ...(r.signature !== null && { signature: r.signature.toString('base64') }),
});

/**
 * Seals the exchange log in batches: the entries written since the last seal get a Merkle
 * root, chained to the previous seal's hash, and the seal is signed with the hub's key (so
 * that whoever can edit the tables cannot re-make it). A seal never reaches past its
 * horizon: the last entry id handed out when no writer was under way (a lock taken and
 * released at once), so no entry still being written can fall inside a sealed range
 * afterwards, and writers wait only for that instant, not while the seal is hashed.
 *
 * One replica seals: the one holding the `sealing` lease. Should two seal at once all the
 * same (one that lost its lease in the middle of a run), each seal is made under a
 * transaction lock and names the newest seal as it stands once the lock is held, and a
 * sequence is taken once (the primary key): the chain stays one line.
 */
@Injectable()
export class Sealer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;
  private readonly lease: LeaderLease;
  private readonly sealed;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SEAL_SETTINGS) private readonly settings: SealSettings,
    @Inject(LOGGER) logger: Logger,
    @Inject(Metrics) metrics: Metrics,
    @Inject(SealSigner) private readonly signer: SealSigner,
    @Inject(LeaderLeases) leases: LeaderLeases,
  ) {
    this.sealed = metrics.counter({
      name: 'lgsp_log_entries_sealed_total',
      help: 'Exchange-log entries sealed',
    });
    this.lease = leases.lease('sealing');
    this.task = new PeriodicTask(
      () => this.sealAll(),
      'sealing failed; will retry',
      logger,
      this.lease,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.lease.start();
    this.task.start(this.settings.intervalSeconds);
  }

  /** The run under way ends before the lease is given up, so that the next leader follows it. */
  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
    await this.lease.stop();
  }

  /** Whether this replica seals now. */
  get leads(): boolean {
    return this.lease.isLeader;
  }

  /** Seals everything written so far, in batches; returns how many entries it sealed. */
  async sealAll(): Promise<number> {
    // One horizon per round: the lock it takes waits for the writer under way, so it is
    // taken once per interval, not once per seal.
    const horizon = await this.horizon();
    let total = 0;
    for (;;) {
      const n = await this.sealOnce(horizon);
      total += n;
      if (n < this.settings.maxEntries) return total;
    }
  }

  /** Every entry with an id up to this one is committed (or was rolled back, leaving a gap). */
  private horizon(): Promise<string> {
    return this.dataSource.transaction(async (tx) => {
      // Waits for writers under way; a writer takes its ids only once it holds its own lock.
      await tx.query('LOCK TABLE log_entries IN SHARE ROW EXCLUSIVE MODE');
      const [seq] = await tx.query<{ last_value: string; is_called: boolean }[]>(
        'SELECT last_value, is_called FROM log_entries_id_seq',
      );
      return seq.is_called ? seq.last_value : '0';
    });
  }

  private sealOnce(horizon: string): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK]);
      const last = await tx
        .getRepository(SealRow)
        .findOne({ where: {}, order: { sequence: 'DESC' } });
      const rows = await tx.query<EntryRow[]>(
        `SELECT ${ENTRY_COLUMNS} FROM log_entries WHERE id > $1 AND id <= $2
          ORDER BY log_entries.id LIMIT $3`,
        [last?.lastEntryId ?? '0', horizon, this.settings.maxEntries],
      );
      if (rows.length === 0) return 0;
      const seal = this.signer.sign(buildSeal(last ? toSeal(last) : undefined, rows.map(toEntry)));
      await tx.insert(SealRow, {
        ...seal,
        leafHashes: Buffer.concat(seal.leafHashes.map((h) => Buffer.from(h, 'hex'))),
        signature: Buffer.from(seal.signature, 'base64'),
      });
      this.sealed.inc(rows.length);
      return rows.length;
    });
  }
}
