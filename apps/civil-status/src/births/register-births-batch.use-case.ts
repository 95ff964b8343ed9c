import { Inject, Injectable } from '@nestjs/common';
import { OutboxWriter, type RawOutboxMessage, uuidv7 } from '@lgsp/messaging';
import { DataSource, type EntityManager, In } from 'typeorm';
import { Birth } from './birth.entity';
import { checkBody } from './check-body';
import { type BirthRow, insertBirths } from './insert-births';
import { RegisterBirthDto } from './register-birth.dto';
import {
  BIRTH_REGISTERED,
  birthNaturalKey,
  birthRow,
  newRegistration,
  resultOf,
} from './register-birth.use-case';
import type {
  BirthBatchItemResult,
  BirthBatchResult,
  BirthBatchStatus,
} from './register-births-batch.dto';

/** The registration a natural key stands for, and whether this batch created it. */
type Registration = { row: BirthRow; created: boolean };

/**
 * Registers many births at once, answering each item as `POST /births` would answer it
 * alone: refused with its field errors, created, or the existing first registration of the
 * same birth (already registered, or earlier in the same batch).
 *
 * The births not yet registered are written with one INSERT and their `birth-registered`
 * events with one outbox INSERT, in one transaction, so exactly the inserted births are
 * announced. Each new birth is its own citizen's case, so it gets its own correlation id.
 */
@Injectable()
export class RegisterBirthsBatchUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  async execute(items: unknown[], provinceCode: string): Promise<BirthBatchResult> {
    const checks = await Promise.all(items.map((item) => checkBody(RegisterBirthDto, item)));
    const firstOfKey = new Map<string, RegisterBirthDto>();
    const keys = checks.map((c) => {
      if ('refusal' in c) return undefined;
      const key = birthNaturalKey(c.valid);
      if (!firstOfKey.has(key)) firstOfKey.set(key, c.valid);
      return key;
    });
    const registrations = await this.register(firstOfKey, provinceCode);
    const answered = new Set<string>();
    const results = checks.map((c, index): BirthBatchItemResult => {
      if ('refusal' in c) return { index, status: 'REFUSED', ...c.refusal };
      const key = keys[index]!;
      const { row, created } = registrations.get(key)!;
      const status = created && !answered.has(key) ? 'CREATED' : 'EXISTING';
      answered.add(key);
      return { index, status, ...resultOf(row) };
    });
    const count = (s: BirthBatchStatus) => results.filter((r) => r.status === s).length;
    return {
      created: count('CREATED'),
      existing: count('EXISTING'),
      refused: count('REFUSED'),
      results,
    };
  }

  /** The registration of every natural key: already there, created now, or by a concurrent request. */
  private async register(
    births: Map<string, RegisterBirthDto>,
    provinceCode: string,
  ): Promise<Map<string, Registration>> {
    const found = await this.find(this.dataSource.manager, [...births.keys()]);
    const fresh = [...births]
      .filter(([key]) => !found.has(key))
      .map(([key, dto]) => this.prepare(dto, key, provinceCode));
    if (fresh.length === 0) return found;
    return this.dataSource.transaction(async (tx) => {
      const inserted = await insertBirths(
        tx,
        fresh.map((f) => f.row),
      );
      const announced = fresh.filter((f) => inserted.has(f.row.id));
      await this.outbox.enqueue(
        tx,
        announced.map((f) => f.message),
      );
      for (const f of announced) found.set(f.row.naturalKey, { row: f.row, created: true });
      const lost = fresh.filter((f) => !inserted.has(f.row.id)).map((f) => f.row.naturalKey);
      for (const [key, r] of await this.find(tx, lost)) found.set(key, r);
      const missing = [...births.keys()].filter((key) => !found.has(key));
      if (missing.length > 0)
        throw new Error(`births neither inserted nor found: ${missing.length}`);
      return found;
    });
  }

  private async find(manager: EntityManager, keys: string[]): Promise<Map<string, Registration>> {
    if (keys.length === 0) return new Map();
    const rows = await manager.getRepository(Birth).findBy({ naturalKey: In(keys) });
    return new Map(rows.map((row) => [row.naturalKey, { row, created: false }]));
  }

  /** A new registration's row and its event, built before the transaction opens. */
  private prepare(
    dto: RegisterBirthDto,
    naturalKey: string,
    provinceCode: string,
  ): { row: BirthRow; message: RawOutboxMessage } {
    const event = newRegistration(dto, provinceCode);
    const correlationId = uuidv7();
    const { envelope, message } = this.outbox.build({
      type: BIRTH_REGISTERED,
      data: event,
      correlationId,
    });
    return { row: birthRow(event, { naturalKey, correlationId, eventId: envelope.id }), message };
  }
}
