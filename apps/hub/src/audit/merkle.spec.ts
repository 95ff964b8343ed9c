import {
  buildSeal,
  EMPTY_MERKLE_ROOT,
  entryHash,
  GENESIS_SEAL_HASH,
  merkleRoot,
  type Seal,
  type SealableEntry,
  sealHash,
} from './merkle';
import { entry, sha } from './seal.fixtures';
import { type EntriesOf, verifySeals } from './verify';

/** An interior node, written out independently of merkle.ts. */
const node = (l: string, r: string): string =>
  sha(Buffer.from([1]), Buffer.from(l, 'hex'), Buffer.from(r, 'hex'));
/** RFC 6962 §2.1 MTH: split at the largest power of two below n. */
const rfc6962 = (leaves: string[]): string => {
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return node(rfc6962(leaves.slice(0, k)), rfc6962(leaves.slice(k)));
};
const leaf = (n: number): string => sha(`leaf-${n}`);

describe('entryHash', () => {
  const base = entry(7);
  // One change per sealed field; the key check below fails if a field is added untested.
  const changes: { [K in keyof SealableEntry]: SealableEntry[K] } = {
    id: '8',
    recordId: 'record-x',
    kind: 'RECEIPT',
    eventId: 'event-x',
    eventType: null,
    serviceCode: 'SVC-OTHER',
    provider: null,
    consumer: 'consumer-c',
    status: 'FAILED',
    errorCode: 'E1',
    reason: 'some reason',
    subjectHash: null,
    correlationId: null,
    payloadSha256: sha('other'),
    outcome: 'MATCH',
    occurredAt: new Date(base.occurredAt.getTime() + 1),
    topic: 'test.receipts',
    kafkaPartition: 2,
    kafkaOffset: '1008',
  };

  it('covers every field of SealableEntry', () => {
    expect(Object.keys(changes).sort()).toEqual(Object.keys(base).sort());
  });

  it.each(Object.entries(changes))('changes when %s changes', (field, value) => {
    expect(entryHash({ ...base, [field]: value })).not.toBe(entryHash(base));
  });

  it('tells null from "null" and from the empty string', () => {
    const hashes = [null, 'null', ''].map((reason) => entryHash({ ...base, reason }));
    expect(new Set(hashes).size).toBe(3);
  });

  it('tells text moved from one field to the next', () => {
    expect(entryHash({ ...base, provider: 'ab', consumer: 'c' })).not.toBe(
      entryHash({ ...base, provider: 'a', consumer: 'bc' }),
    );
  });

  it('ignores recorded_at and other extra properties, and key order', () => {
    const withExtra = { ...base, recordedAt: new Date() };
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as SealableEntry;
    expect(entryHash(withExtra)).toBe(entryHash(base));
    expect(entryHash(reordered)).toBe(entryHash(base));
  });

  it('is SHA-256 of 0x00 and the tagged JSON field array', () => {
    const json = JSON.stringify([
      'lgsp-log-entry-v1',
      ...Object.keys(changes).map((k) => {
        const v = base[k as keyof SealableEntry];
        return v instanceof Date ? v.toISOString() : v;
      }),
    ]);
    expect(json).toContain('"2025-01-01T00:00:07.123Z"');
    expect(entryHash(base)).toBe(sha(Buffer.from([0]), json));
  });

  it('refuses a partition JSON would write as null', () => {
    expect(() => entryHash({ ...base, kafkaPartition: NaN })).toThrow(/kafkaPartition/);
  });
});

describe('merkleRoot', () => {
  const [a, b, c] = [leaf(1), leaf(2), leaf(3)];

  it('of one leaf is that leaf', () => {
    expect(merkleRoot([a])).toBe(a);
  });

  it('of two leaves is SHA-256(0x01 ‖ a ‖ b)', () => {
    expect(merkleRoot([a, b])).toBe(node(a, b));
    expect(merkleRoot([b, a])).not.toBe(merkleRoot([a, b]));
  });

  it('of three leaves promotes the odd one', () => {
    expect(merkleRoot([a, b, c])).toBe(node(node(a, b), c));
  });

  it('of seven leaves, and of 1..40, matches RFC 6962', () => {
    const seven = [1, 2, 3, 4, 5, 6, 7].map(leaf);
    expect(merkleRoot(seven)).toBe(
      node(
        node(node(seven[0], seven[1]), node(seven[2], seven[3])),
        node(node(seven[4], seven[5]), seven[6]),
      ),
    );
    for (let n = 1; n <= 40; n++) {
      const leaves = Array.from({ length: n }, (_, i) => leaf(i));
      expect(merkleRoot(leaves)).toBe(rfc6962(leaves));
    }
  });

  it('does not duplicate the odd leaf (CVE-2012-2459)', () => {
    expect(merkleRoot([a, b, c])).not.toBe(merkleRoot([a, b, c, c]));
    expect(merkleRoot([a, b, c])).not.toBe(node(node(a, b), node(c, c)));
  });

  it('of nothing is SHA-256 of the fixed tag', () => {
    expect(merkleRoot([])).toBe(sha('lgsp-merkle-empty-v1'));
    expect(EMPTY_MERKLE_ROOT).toBe(sha('lgsp-merkle-empty-v1'));
  });

  it('rejects what is not a lowercase hex SHA-256', () => {
    expect(() => merkleRoot([a, 'zz'.repeat(32)])).toThrow(/digest/);
    expect(() => merkleRoot([a, b.toUpperCase()])).toThrow(/digest/);
    expect(() => merkleRoot([a, b.slice(2)])).toThrow(/digest/);
  });
});

describe('buildSeal', () => {
  it('seals in numeric id order and chains each seal to the one before', () => {
    const first = buildSeal(undefined, [entry(10), entry(9), entry(2)]);
    expect(first).toMatchObject({
      sequence: 1,
      firstEntryId: '2',
      lastEntryId: '10',
      entryCount: 3,
      entryIds: ['2', '9', '10'],
      previousSealHash: GENESIS_SEAL_HASH,
    });
    expect(first.leafHashes).toEqual([entry(2), entry(9), entry(10)].map(entryHash));
    expect(first.merkleRoot).toBe(merkleRoot(first.leafHashes));
    expect(first.sealHash).toBe(sealHash(first));
    expect(GENESIS_SEAL_HASH).toBe('0'.repeat(64));

    const second = buildSeal(first, [entry(11), entry(12)]);
    expect(second.sequence).toBe(2);
    expect(second.previousSealHash).toBe(first.sealHash);
    expect(second.sealHash).not.toBe(first.sealHash);
  });

  it('makes the seal hash cover the sealed ids', () => {
    const seal = buildSeal(undefined, [entry(1), entry(2)]);
    expect(sealHash({ ...seal, entryIds: ['1', '3'] })).not.toBe(seal.sealHash);
  });

  it('refuses nothing, a repeated id, or an id not above the previous seal', () => {
    const first = buildSeal(undefined, [entry(1), entry(5)]);
    expect(() => buildSeal(undefined, [])).toThrow(/no entries/);
    expect(() => buildSeal(undefined, [entry(1), entry(1)])).toThrow(/not above/);
    expect(() => buildSeal(first, [entry(5), entry(6)])).toThrow(/not above/);
  });
});

describe('verifySeals', () => {
  // Seal 1 covers 1..5, seal 2 covers 7, 9..12 (6 and 8 never committed: bigserial gaps),
  // 13 and 14 are not sealed yet.
  const sealedIds = [
    [1, 2, 3, 4, 5],
    [7, 9, 10, 11, 12],
  ];
  let rows: Map<string, SealableEntry>;
  let seals: Seal[];

  beforeEach(() => {
    rows = new Map([...sealedIds.flat(), 13, 14].map((id) => [String(id), entry(id)]));
    const first = buildSeal(
      undefined,
      sealedIds[0].map((id) => entry(id)),
    );
    seals = [
      first,
      buildSeal(
        first,
        sealedIds[1].map((id) => entry(id)),
      ),
    ];
  });

  const between = (after: string | undefined, last: string) =>
    [...rows.values()].filter(
      (r) => (after === undefined || BigInt(r.id) > BigInt(after)) && BigInt(r.id) <= BigInt(last),
    );
  const entriesOf: EntriesOf = (seal, after) => between(after, seal.lastEntryId);
  const unsealed = () => [...rows.values()].filter((r) => BigInt(r.id) > 12n);
  const verify = () => verifySeals(seals, entriesOf, { unsealedAfter: unsealed() });
  const tamper = (id: number, over: Partial<SealableEntry>) =>
    rows.set(String(id), entry(id, over));

  it('passes untouched data, and seals given out of order', () => {
    expect(verify()).toEqual({
      ok: true,
      checkedSeals: 2,
      checkedEntries: 10,
      archivedEntries: 0,
      signedSeals: 0,
      unsignedSeals: 2,
      uncheckedEntries: 2,
      headSealHash: seals[1].sealHash,
    });
    expect(verifySeals([...seals].reverse(), entriesOf).ok).toBe(true);
  });

  it('names an altered entry and its seal', () => {
    tamper(10, { reason: 'rewritten' });
    expect(verify()).toMatchObject({
      ok: false,
      checkedSeals: 1,
      checkedEntries: 5,
      firstProblem: { kind: 'ALTERED', entryId: '10', sealSequence: 2 },
    });
  });

  it('counts entries archived to a file as archived, and any other gone entry as removed', () => {
    for (const id of ['3', '4', '10']) rows.delete(id);
    const archived = (id: string) => id === '3' || id === '4';
    const result = verifySeals(seals, entriesOf, { archived });
    expect(result.firstProblem).toEqual({
      kind: 'REMOVED',
      entryId: '10',
      afterEntryId: '9',
      sealSequence: 2,
    });
    rows.set('10', entry(10));
    expect(verifySeals(seals, entriesOf, { archived })).toMatchObject({
      ok: true,
      checkedEntries: 8,
      archivedEntries: 2,
    });
  });

  it('names a removed entry and the one before it', () => {
    rows.delete('3');
    expect(verify().firstProblem).toEqual({
      kind: 'REMOVED',
      entryId: '3',
      afterEntryId: '2',
      sealSequence: 1,
    });
    rows.delete('1');
    expect(verify().firstProblem).toEqual({ kind: 'REMOVED', entryId: '1', sealSequence: 1 });
  });

  it('names a row inserted inside a seal, or between two seals', () => {
    rows.set('8', entry(8));
    expect(verify().firstProblem).toEqual({ kind: 'INSERTED', entryId: '8', sealSequence: 2 });
    rows.set('6', entry(6));
    expect(verify().firstProblem).toEqual({ kind: 'INSERTED', entryId: '6', sealSequence: 2 });
  });

  it('names a row slipped between seals when the caller reads only [first, last]', () => {
    rows.set('6', entry(6));
    const strict: EntriesOf = (seal) =>
      between(String(BigInt(seal.firstEntryId) - 1n), seal.lastEntryId);
    const outside = [...rows.values()].filter(
      (r) =>
        !seals.some(
          (s) => BigInt(r.id) >= BigInt(s.firstEntryId) && BigInt(r.id) <= BigInt(s.lastEntryId),
        ),
    );
    expect(verifySeals(seals, strict, { unsealedAfter: outside }).firstProblem).toEqual({
      kind: 'INSERTED',
      entryId: '6',
      sealSequence: null,
    });
  });

  it('reports a tampered leaf hash, id list or root as SEAL_ALTERED', () => {
    const good = structuredClone(seals);
    seals[1].leafHashes[2] = sha('forged');
    expect(verify().firstProblem).toEqual({ kind: 'SEAL_ALTERED', sealSequence: 2 });

    seals = structuredClone(good);
    seals[0].entryIds[1] = '6';
    expect(verify().firstProblem).toEqual({ kind: 'SEAL_ALTERED', sealSequence: 1 });

    seals = structuredClone(good);
    seals[1].merkleRoot = sha('forged');
    expect(verify().firstProblem).toEqual({ kind: 'SEAL_ALTERED', sealSequence: 2 });
  });

  it('reports a changed previousSealHash, or a lost seal, as SEAL_CHAIN_BROKEN', () => {
    seals[1].previousSealHash = sha('elsewhere');
    expect(verify().firstProblem).toEqual({ kind: 'SEAL_CHAIN_BROKEN', sealSequence: 2 });
    expect(verifySeals([seals[0]], entriesOf).ok).toBe(true);

    const second = buildSeal(
      seals[0],
      sealedIds[1].map((id) => entry(id)),
    );
    expect(verifySeals([second], entriesOf).firstProblem).toEqual({
      kind: 'SEAL_CHAIN_BROKEN',
      sealSequence: 2,
    });
  });

  it('checks a later range against the seal before it', () => {
    const [first, second] = seals;
    const from = (seal: Seal) =>
      between(seal === second ? first.lastEntryId : undefined, seal.lastEntryId);
    expect(verifySeals([second], from, { expectedPrevious: first.sealHash })).toMatchObject({
      ok: true,
      checkedSeals: 1,
      checkedEntries: 5,
    });
  });

  it('cannot see a fully re-made newest seal, but its head hash changes', () => {
    tamper(12, { status: 'FAILED' });
    const remade = buildSeal(
      seals[0],
      sealedIds[1].map((id) => rows.get(String(id))!),
    );
    const result = verifySeals([seals[0], remade], entriesOf);
    expect(result.ok).toBe(true);
    expect(result.headSealHash).not.toBe(seals[1].sealHash);
  });

  it('names the first problem in id order', () => {
    tamper(11, { reason: 'rewritten' });
    rows.delete('4');
    expect(verify().firstProblem).toMatchObject({ kind: 'REMOVED', entryId: '4' });

    rows.set('4', entry(4));
    rows.delete('12');
    rows.set('8', entry(8));
    expect(verify().firstProblem).toMatchObject({ kind: 'INSERTED', entryId: '8' });

    rows.delete('8');
    tamper(9, { kafkaOffset: '1' });
    expect(verify().firstProblem).toMatchObject({ kind: 'ALTERED', entryId: '9' });
  });
});
