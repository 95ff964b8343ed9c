import { Inject, Injectable } from '@nestjs/common';
import { DataSource, LessThan, MoreThanOrEqual } from 'typeorm';
import { GENESIS_SEAL_HASH } from './merkle';
import { SealRow } from './seal.entity';
import { SealKeyring } from './seal-signature';
import { loadEntries, toSeal } from './sealing';
import { verifySeals, type VerifyFinding } from './verify';

export interface LogVerification {
  ok: boolean;
  from?: string;
  to?: string;
  checkedSeals: number;
  checkedEntries: number;
  /** Sealed entries of those seals archived to files (hubctl audit verify --archive checks them). */
  archivedEntries: number;
  /** Of the sound seals, how many are signed and how many were made before signing existed. */
  signedSeals: number;
  unsignedSeals: number;
  /** From this seal on every seal must be signed: as asked, or the first signed seal stored. */
  signedFrom: number | null;
  /** Entries written after the last seal: not sealed yet, so not checked. */
  unsealedEntries: number;
  /** Keep a copy elsewhere: whoever can rewrite the tables can rebuild the newest seals. */
  headSealHash: string;
  firstProblem?: VerifyFinding;
  tookMs: number;
}

/**
 * Recomputes the seals over the entries of a time range (by their time; or the whole log) as stored,
 * checks each seal's signature with the configured public keys, and names the first seal forged
 * or entry altered, removed or inserted since it was sealed.
 */
@Injectable()
export class VerifyLog {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SealKeyring) private readonly keyring: SealKeyring,
  ) {}

  async verify(
    range: { from?: Date; to?: Date; signedFrom?: number } = {},
  ): Promise<LogVerification> {
    const started = Date.now();
    const seals = this.dataSource.getRepository(SealRow);
    const [bounds] = await this.dataSource.query<{ first: string | null; last: string | null }[]>(
      `SELECT min(id)::text AS first, max(id)::text AS last FROM log_entries
        WHERE ($1::timestamptz IS NULL OR occurred_at >= $1) AND ($2::timestamptz IS NULL OR occurred_at < $2)`,
      [range.from?.toISOString() ?? null, range.to?.toISOString() ?? null],
    );
    // The whole log: every seal, also those whose entries are all archived.
    const whole = !range.from && !range.to;
    const inRange = whole
      ? await seals.find({ order: { sequence: 'ASC' } })
      : bounds.first
        ? await seals.find({
            where: {
              lastEntryId: MoreThanOrEqual(bounds.first),
              ...(bounds.last ? { firstEntryId: LessThan(String(BigInt(bounds.last) + 1n)) } : {}),
            },
            order: { sequence: 'ASC' },
          })
        : [];
    const before = inRange.length
      ? await seals.findOneBy({ sequence: inRange[0].sequence - 1 })
      : null;
    let expected = before?.sealHash ?? GENESIS_SEAL_HASH;
    let previousLast = before ? String(before.lastEntryId) : undefined;
    // The range may start after signing did: ask the table, not just the seals in range.
    const signedFrom = range.signedFrom ?? (await this.firstSignedSeal());
    const signatures = { keyring: this.keyring, signedFrom };
    const archived = await archivedIds(this.dataSource);
    const counts = {
      checkedSeals: 0,
      checkedEntries: 0,
      archivedEntries: 0,
      signedSeals: 0,
      unsignedSeals: 0,
    };
    let firstProblem: VerifyFinding | undefined;
    for (const row of inRange) {
      const seal = toSeal(row);
      const entries = await loadEntries(this.dataSource.manager, previousLast, seal.lastEntryId);
      const result = verifySeals([seal], () => entries, {
        expectedPrevious: expected,
        signatures,
        archived,
      });
      if (!result.ok) {
        firstProblem = result.firstProblem;
        break;
      }
      for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += result[k];
      expected = result.headSealHash;
      previousLast = seal.lastEntryId;
    }
    const last = await seals.findOne({ where: {}, order: { sequence: 'DESC' } });
    const [{ n }] = await this.dataSource.query<{ n: string }[]>(
      'SELECT count(*) AS n FROM log_entries WHERE id > $1',
      [last?.lastEntryId ?? '0'],
    );
    return {
      ok: !firstProblem,
      from: range.from?.toISOString(),
      to: range.to?.toISOString(),
      ...counts,
      signedFrom: signedFrom ?? null,
      unsealedEntries: Number(n),
      headSealHash: last?.sealHash ?? GENESIS_SEAL_HASH,
      ...(firstProblem ? { firstProblem } : {}),
      tookMs: Date.now() - started,
    };
  }

  private async firstSignedSeal(): Promise<number | undefined> {
    const [row] = await this.dataSource.query<{ first: number | null }[]>(
      'SELECT min(sequence) AS first FROM seals WHERE signature IS NOT NULL',
    );
    return row.first ?? undefined;
  }
}

/**
 * Whether an id was taken away by an archive (log_archives keeps each archive's ids as ranges:
 * a month is a few runs of consecutive ids), by binary search over the ranges.
 */
async function archivedIds(dataSource: DataSource): Promise<(id: string) => boolean> {
  const rows = await dataSource.query<{ lo: string; hi: string }[]>(
    `SELECT lower(r)::text AS lo, upper(r)::text AS hi
       FROM log_archives, unnest(entry_ids) r ORDER BY lower(r)`,
  );
  const ranges = rows.map((r) => [BigInt(r.lo), BigInt(r.hi)] as const);
  return (id) => {
    const x = BigInt(id);
    let a = 0;
    let b = ranges.length;
    while (a < b) {
      const m = (a + b) >> 1;
      if (ranges[m][1] <= x) a = m + 1;
      else b = m;
    }
    return a < ranges.length && ranges[a][0] <= x;
  };
}
