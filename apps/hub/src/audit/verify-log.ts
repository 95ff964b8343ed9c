import { Inject, Injectable } from '@nestjs/common';
import { DataSource, LessThan, MoreThanOrEqual } from 'typeorm';
import { GENESIS_SEAL_HASH } from './merkle';
import { SealRow } from './seal.entity';
import { loadEntries, toSeal } from './sealing';
import { verifySeals, type VerifyFinding } from './verify';

export interface LogVerification {
  ok: boolean;
  from?: string;
  to?: string;
  checkedSeals: number;
  checkedEntries: number;
  /** Entries written after the last seal: not sealed yet, so not checked. */
  unsealedEntries: number;
  /** Keep a copy elsewhere: whoever can rewrite the tables can rebuild the newest seals. */
  headSealHash: string;
  firstProblem?: VerifyFinding;
  tookMs: number;
}

/**
 * Recomputes the seals over the entries of a time range (by their time; or the whole log) as stored,
 * and names the first entry altered, removed or inserted since it was sealed.
 */
@Injectable()
export class VerifyLog {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async verify(range: { from?: Date; to?: Date } = {}): Promise<LogVerification> {
    const started = Date.now();
    const seals = this.dataSource.getRepository(SealRow);
    const [bounds] = await this.dataSource.query<{ first: string | null; last: string | null }[]>(
      `SELECT min(id)::text AS first, max(id)::text AS last FROM log_entries
        WHERE ($1::timestamptz IS NULL OR occurred_at >= $1) AND ($2::timestamptz IS NULL OR occurred_at < $2)`,
      [range.from?.toISOString() ?? null, range.to?.toISOString() ?? null],
    );
    const inRange = bounds.first
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
    let checkedSeals = 0;
    let checkedEntries = 0;
    let firstProblem: VerifyFinding | undefined;
    for (const row of inRange) {
      const seal = toSeal(row);
      const entries = await loadEntries(this.dataSource.manager, previousLast, seal.lastEntryId);
      const result = verifySeals([seal], () => entries, [], expected);
      if (!result.ok) {
        firstProblem = result.firstProblem;
        break;
      }
      checkedSeals += 1;
      checkedEntries += result.checkedEntries;
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
      checkedSeals,
      checkedEntries,
      unsealedEntries: Number(n),
      headSealHash: last?.sealHash ?? GENESIS_SEAL_HASH,
      ...(firstProblem ? { firstProblem } : {}),
      tookMs: Date.now() - started,
    };
  }
}
