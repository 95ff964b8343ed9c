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
import type { SealKeyring } from './seal-signature';

/** The first thing found wrong. `sealSequence: null`: the row lies under no seal at all. */
export type VerifyFinding =
  | { kind: 'ALTERED'; entryId: string; sealSequence: number }
  | { kind: 'REMOVED'; entryId?: string; afterEntryId?: string; sealSequence: number }
  | { kind: 'INSERTED'; entryId: string; sealSequence: number | null }
  | { kind: 'SEAL_CHAIN_BROKEN'; sealSequence: number }
  | { kind: 'SEAL_ALTERED'; sealSequence: number }
  /** The seal is not as its key signed it: rewritten (re-hashed) after it was sealed. */
  | { kind: 'BAD_SIGNATURE'; sealSequence: number; keyId?: string }
  /** Signed by a key the verifier was not given: a stranger's key, or an old one left out. */
  | { kind: 'UNKNOWN_KEY'; sealSequence: number; keyId: string }
  /** Unsigned where every seal must be signed (from the first signed one on). */
  | { kind: 'UNSIGNED_SEAL'; sealSequence: number };

/**
 * How seals' signatures are judged. Seals made before signing existed carry none; they stay
 * verifiable (Merkle root and chain) and the first signed seal vouches for them through the
 * chain. From `signedFrom` on every seal must be signed by a key of the keyring; without it,
 * from the first signed seal among those given.
 */
export interface SignaturePolicy {
  keyring: SealKeyring;
  signedFrom?: number;
}

export interface VerifyOptions {
  /** Rows after the last seal (see VerifyResult.uncheckedEntries). */
  unsealedAfter?: readonly SealableEntry[];
  /** previousSealHash of the first seal given: GENESIS_SEAL_HASH unless a range starts later. */
  expectedPrevious?: string;
  /** Without it only the Merkle roots and the chain are checked, as an insider could redo them. */
  signatures?: SignaturePolicy;
  /** Sealed ids archived to a file (see log-archive.ts): gone from the tables, not removed. */
  archived?: (id: string) => boolean;
}

export interface VerifyResult {
  ok: boolean;
  /** Seals found sound, up to the first problem. */
  checkedSeals: number;
  /** Entries found intact in those seals. */
  checkedEntries: number;
  /** Sealed entries of those seals that were archived (checked in their archive files). */
  archivedEntries: number;
  /** Of the sound seals, how many carry a good signature and how many none (made before signing). */
  signedSeals: number;
  unsignedSeals: number;
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
export interface Located {
  finding: VerifyFinding;
  at: bigint;
}

/**
 * Walks the seals in sequence order and stops at the first problem, in id order: a seal that
 * cannot be trusted is reported before its entries, since they are judged by it. Within a seal
 * the current rows are matched to the sealed ids and leaf hashes, which names the entry itself.
 */
export function verifySeals(
  seals: readonly Seal[],
  entriesOf: EntriesOf,
  options: VerifyOptions = {},
): VerifyResult {
  const { unsealedAfter = [], expectedPrevious = GENESIS_SEAL_HASH, signatures } = options;
  const archived = options.archived ?? (() => false);
  const ordered = [...seals].sort((a, b) => a.sequence - b.sequence);
  const policy = signatures && {
    ...signatures,
    signedFrom: signatures.signedFrom ?? firstSigned(ordered),
  };
  let previous: Seal | undefined;
  const counts = {
    checkedSeals: 0,
    checkedEntries: 0,
    archivedEntries: 0,
    signedSeals: 0,
    unsignedSeals: 0,
  };
  let problem: Located | undefined;
  for (const seal of ordered) {
    const at = previous ? BigInt(previous.lastEntryId) : -1n;
    const tally = { archived: 0 };
    problem =
      linkProblem(seal, previous, expectedPrevious, at) ??
      sealProblem(seal, policy, at) ??
      checkEntries(seal, entriesOf(seal, previous?.lastEntryId), archived, tally);
    if (problem) break;
    counts.checkedSeals += 1;
    counts.checkedEntries += seal.entryCount - tally.archived;
    counts.archivedEntries += tally.archived;
    counts[seal.signature === undefined ? 'unsignedSeals' : 'signedSeals'] += 1;
    previous = seal;
  }
  problem = strayBefore(unsealedAfter, problem, previous) ?? problem;
  return {
    ok: problem === undefined,
    ...counts,
    uncheckedEntries: unsealedAfter.length,
    headSealHash: previous?.sealHash ?? expectedPrevious,
    ...(problem && { firstProblem: problem.finding }),
  };
}

/** The sequence of the first signed seal, if any: signing, once begun, never stops. */
export function firstSigned(seals: readonly Seal[]): number | undefined {
  let first: number | undefined;
  for (const s of seals) {
    if (s.signature !== undefined && (first === undefined || s.sequence < first))
      first = s.sequence;
  }
  return first;
}

/**
 * The seal's link to the one before (or to `expected` for the first given). It comes before the
 * seal's own hash: with previousSealHash changed, that no longer matches either, and the broken
 * link is the more precise account. `at`: where in id order a problem here sits (before every
 * entry the seal covers).
 */
export function linkProblem(
  seal: Seal,
  previous: Seal | undefined,
  expected: string,
  at: bigint,
): Located | undefined {
  const broken: Located = {
    finding: { kind: 'SEAL_CHAIN_BROKEN', sealSequence: seal.sequence },
    at,
  };
  if (seal.previousSealHash !== (previous?.sealHash ?? expected)) return broken;
  if (
    previous &&
    (seal.sequence !== previous.sequence + 1 ||
      compareIds(seal.firstEntryId, previous.lastEntryId) <= 0)
  ) {
    return broken;
  }
  return undefined;
}

/**
 * The seal on its own: its hash and form, then its signature (over that hash), then its leaf
 * list against its root. An insider who edits an entry and re-hashes the seals gets past the
 * first and the last; only the signature, made with a key the database does not hold, stops them.
 */
export function sealProblem(
  seal: Seal,
  signatures: SignaturePolicy | undefined,
  at: bigint,
): Located | undefined {
  const sealSequence = seal.sequence;
  const located = (finding: VerifyFinding): Located => ({ finding, at });
  if (sealHash(seal) !== seal.sealHash || !wellFormed(seal)) {
    return located({ kind: 'SEAL_ALTERED', sealSequence });
  }
  if (signatures) {
    const check = signatures.keyring.check(seal);
    const keyId = seal.keyId;
    if (check === 'BAD_SIGNATURE') {
      return located({ kind: 'BAD_SIGNATURE', sealSequence, ...(keyId && { keyId }) });
    }
    if (check === 'UNKNOWN_KEY')
      return located({ kind: 'UNKNOWN_KEY', sealSequence, keyId: keyId! });
    const from = signatures.signedFrom;
    if (check === 'UNSIGNED' && from !== undefined && sealSequence >= from) {
      return located({ kind: 'UNSIGNED_SEAL', sealSequence });
    }
  }
  if (merkleRoot(seal.leafHashes) !== seal.merkleRoot) {
    return located({ kind: 'SEAL_ALTERED', sealSequence });
  }
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

/**
 * Merges sealed ids with current rows, both ascending; the first difference is the answer. A
 * sealed id that is gone but `archived` is counted in `tally`, not reported.
 */
export function checkEntries(
  seal: Seal,
  rows: readonly SealableEntry[],
  archived: (id: string) => boolean = () => false,
  tally: { archived: number } = { archived: 0 },
): Located | undefined {
  const sealSequence = seal.sequence;
  const ids = seal.entryIds;
  const current = [...rows].sort((a, b) => compareIds(a.id, b.id));
  let i = 0;
  let j = 0;
  while (i < ids.length || j < current.length) {
    // < 0: sealed id i is gone; > 0: row j was never sealed.
    const order =
      i === ids.length ? 1 : j === current.length ? -1 : compareIds(ids[i], current[j].id);
    if (order < 0 && archived(ids[i])) {
      tally.archived += 1;
      i += 1;
      continue;
    }
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
