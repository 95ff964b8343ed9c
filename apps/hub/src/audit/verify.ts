import {
  compareIds,
  entryHash,
  GENESIS_SEAL_HASH,
  isDigest,
  isEntryId,
  merkleRoot,
  type Seal,
  type SealableEntry,
  sealHash,
} from './merkle';

/** The first thing found wrong. `sealSequence: null`: the row lies under no seal at all. */
export type VerifyFinding =
  | { kind: 'ALTERED'; entryId: string; sealSequence: number }
  | { kind: 'REMOVED'; entryId?: string; afterEntryId?: string; sealSequence: number }
  | { kind: 'INSERTED'; entryId: string; sealSequence: number | null }
  | { kind: 'SEAL_CHAIN_BROKEN'; sealSequence: number }
  | { kind: 'SEAL_ALTERED'; sealSequence: number };

export interface VerifyResult {
  ok: boolean;
  /** Seals found sound, up to the first problem. */
  checkedSeals: number;
  /** Entries found intact in those seals. */
  checkedEntries: number;
  /** Rows not sealed yet (`unsealedAfter`): nothing vouches for them. */
  uncheckedEntries: number;
  /**
   * sealHash of the newest sound seal (expectedPrevious when none). Whoever can rewrite the
   * tables can also drop or re-make the newest seals; compare this with a copy kept elsewhere.
   */
  headSealHash: string;
  firstProblem?: VerifyFinding;
}

/**
 * Rows as now stored for one seal: those with afterEntryId < id ≤ seal.lastEntryId, where
 * afterEntryId is the previous checked seal's lastEntryId (undefined for the first checked seal:
 * from the start of the checked range). Reaching back to the previous seal, not just to
 * firstEntryId, also catches rows slipped in between two seals.
 */
export type EntriesOf = (seal: Seal, afterEntryId: string | undefined) => SealableEntry[];

/** A finding and where it sits in id order, to tell which of two comes first. */
interface Located {
  finding: VerifyFinding;
  at: bigint;
}

/**
 * Walks the seals in sequence order and stops at the first problem, in id order: a seal that
 * cannot be trusted is reported before its entries, since they are judged by it. Within a seal
 * the current rows are matched to the sealed ids and leaf hashes, which names the entry itself.
 * `expectedPrevious` is the previousSealHash of the first seal given: GENESIS_SEAL_HASH for the
 * whole chain, the sealHash of the seal before otherwise.
 */
export function verifySeals(
  seals: readonly Seal[],
  entriesOf: EntriesOf,
  unsealedAfter: readonly SealableEntry[] = [],
  expectedPrevious: string = GENESIS_SEAL_HASH,
): VerifyResult {
  const ordered = [...seals].sort((a, b) => a.sequence - b.sequence);
  let previous: Seal | undefined;
  let checkedSeals = 0;
  let checkedEntries = 0;
  let problem: Located | undefined;
  for (const seal of ordered) {
    problem =
      checkSeal(seal, previous, expectedPrevious) ??
      checkEntries(seal, entriesOf(seal, previous?.lastEntryId));
    if (problem) break;
    checkedSeals += 1;
    checkedEntries += seal.entryCount;
    previous = seal;
  }
  problem = strayBefore(unsealedAfter, problem, previous) ?? problem;
  return {
    ok: problem === undefined,
    checkedSeals,
    checkedEntries,
    uncheckedEntries: unsealedAfter.length,
    headSealHash: previous?.sealHash ?? expectedPrevious,
    ...(problem && { firstProblem: problem.finding }),
  };
}

/** The seal on its own: its link to the one before, its own hash, its leaf list and root. */
function checkSeal(seal: Seal, previous: Seal | undefined, expected: string): Located | undefined {
  const sealSequence = seal.sequence;
  // A seal-level problem comes before every entry the seal covers.
  const at = previous ? BigInt(previous.lastEntryId) : -1n;
  const broken = { finding: { kind: 'SEAL_CHAIN_BROKEN', sealSequence }, at } as const;
  const altered = { finding: { kind: 'SEAL_ALTERED', sealSequence }, at } as const;
  // The link first: with previousSealHash changed, its own hash no longer matches either, and
  // the broken link is the more precise account.
  if (seal.previousSealHash !== (previous?.sealHash ?? expected)) return broken;
  if (sealHash(seal) !== seal.sealHash || !wellFormed(seal)) return altered;
  if (
    previous &&
    (seal.sequence !== previous.sequence + 1 ||
      compareIds(seal.firstEntryId, previous.lastEntryId) <= 0)
  ) {
    return broken;
  }
  if (merkleRoot(seal.leafHashes) !== seal.merkleRoot) return altered;
  return undefined;
}

/** Counts, ends and formats agree, and the ids ascend: what buildSeal always writes. */
function wellFormed(seal: Seal): boolean {
  const ids = seal.entryIds;
  return (
    ids.length > 0 &&
    ids.length === seal.entryCount &&
    seal.leafHashes.length === ids.length &&
    ids[0] === seal.firstEntryId &&
    ids[ids.length - 1] === seal.lastEntryId &&
    ids.every(isEntryId) &&
    seal.leafHashes.every(isDigest) &&
    ids.every((id, i) => i === 0 || compareIds(ids[i - 1], id) < 0)
  );
}

/** Merges sealed ids with current rows, both ascending; the first difference is the answer. */
function checkEntries(seal: Seal, rows: readonly SealableEntry[]): Located | undefined {
  const sealSequence = seal.sequence;
  const ids = seal.entryIds;
  const current = [...rows].sort((a, b) => compareIds(a.id, b.id));
  let i = 0;
  let j = 0;
  while (i < ids.length || j < current.length) {
    // < 0: sealed id i is gone; > 0: row j was never sealed.
    const order =
      i === ids.length ? 1 : j === current.length ? -1 : compareIds(ids[i], current[j].id);
    if (order < 0) {
      const finding: VerifyFinding = { kind: 'REMOVED', entryId: ids[i], sealSequence };
      if (i > 0) finding.afterEntryId = ids[i - 1];
      return { finding, at: BigInt(ids[i]) };
    }
    const row = current[j];
    if (order > 0) {
      return { finding: { kind: 'INSERTED', entryId: row.id, sealSequence }, at: BigInt(row.id) };
    }
    if (entryHash(row) !== seal.leafHashes[i]) {
      return { finding: { kind: 'ALTERED', entryId: row.id, sealSequence }, at: BigInt(row.id) };
    }
    i += 1;
    j += 1;
  }
  return undefined;
}

/**
 * An "unsealed" row that lies among sealed ones (when entriesOf read only [first, last] and it
 * sits in a gap between seals) was never sealed where it stands: it was slipped in. Only one
 * before the problem already found, or within the sound seals, can come first.
 */
function strayBefore(
  unsealed: readonly SealableEntry[],
  problem: Located | undefined,
  lastSound: Seal | undefined,
): Located | undefined {
  const limit = problem ? problem.at : lastSound ? BigInt(lastSound.lastEntryId) + 1n : undefined;
  if (limit === undefined) return undefined;
  let first: { id: string; at: bigint } | undefined;
  for (const row of unsealed) {
    const at = BigInt(row.id);
    if (at < limit && (first === undefined || at < first.at)) first = { id: row.id, at };
  }
  if (first === undefined) return undefined;
  return { finding: { kind: 'INSERTED', entryId: first.id, sealSequence: null }, at: first.at };
}
