import { generateKeyPairSync } from 'node:crypto';
import { entryLine, headerLine, sealLine } from './export-format';
import {
  buildSeal,
  entryHash,
  merkleRoot,
  type Seal,
  type SealableEntry,
  sealHash,
} from './merkle';
import { entry, sha } from './seal.fixtures';
import { SealKeyring, SealSigner } from './seal-signature';
import { verifySealedExport } from './verify-export';

const signer = new SealSigner(generateKeyPairSync('ed25519').privateKey);
const keyring = new SealKeyring([signer.publicKey]);

// Seals 1, 2 and 3 over ids 1–4, 5–8 and 9–12; ids 13 and 14 are not sealed yet.
const rows = Array.from({ length: 14 }, (_, i) => entry(i + 1));
const seals: Seal[] = [];
for (let i = 0; i < 3; i++) {
  seals.push(signer.sign(buildSeal(seals[i - 1], rows.slice(i * 4, i * 4 + 4))));
}

const exported = (s: readonly Seal[], e: readonly SealableEntry[]): string[] =>
  [
    headerLine({ from: '2025-01-01' }),
    ...s.map((seal) => sealLine({ ...seal, sealedAt: '2025-01-01T00:01:00.000Z' })),
    ...e.map((x) => entryLine(x)),
  ].map((l) => l.trimEnd());

/** The export with one line rewritten as JSON. */
type Line = { seal: Seal; entry: Record<string, unknown> };
const edit = (lines: string[], n: number, change: (x: Line) => void) => {
  const copy = [...lines];
  const value = JSON.parse(copy[n - 1]) as Line;
  change(value);
  copy[n - 1] = JSON.stringify(value);
  return copy;
};

describe('verifySealedExport', () => {
  const whole = exported(seals, rows);

  it('passes an export as the hub wrote it, and counts what it could not check', async () => {
    expect(await verifySealedExport(whole, keyring)).toEqual({
      ok: true,
      seals: 3,
      signedSeals: 3,
      unsignedSeals: 0,
      keyIds: [signer.keyId],
      checkedEntries: 12,
      uncheckedEntries: 2,
    });
  });

  it('passes a filtered export: some entries, and only the seals that cover them', async () => {
    const lines = exported([seals[0], seals[2]], [rows[1], rows[10]]);
    expect(await verifySealedExport(lines, keyring)).toMatchObject({
      ok: true,
      seals: 2,
      checkedEntries: 2,
    });
  });

  it('names an altered entry and its line', async () => {
    // Line 1 is the header, 2–4 the seals, 5… the entries: id 7 is on line 11.
    const lines = edit(whole, 11, (x) => {
      x.entry.status = 'FAILED';
    });
    expect((await verifySealedExport(lines, keyring)).firstProblem).toEqual({
      kind: 'ALTERED',
      entryId: '7',
      sealSequence: 2,
      line: 11,
    });
  });

  it('names an entry whose fields no longer have the types it was sealed with', async () => {
    const lines = edit(whole, 6, (x) => {
      x.entry.kafkaPartition = '1';
    });
    expect((await verifySealedExport(lines, keyring)).firstProblem).toMatchObject({
      kind: 'ALTERED',
      entryId: '2',
    });
  });

  it('names a seal whose leaf, root and hash were redone for an edit: its signature fails', async () => {
    // Entry 6 (line 10) rewritten, and seal 2 (line 3) recomputed to match it.
    const forgedEntry = entry(6, { reason: 'rewritten' });
    const lines = edit(whole, 3, (x) => {
      const seal = x.seal;
      seal.leafHashes[1] = entryHash(forgedEntry);
      seal.merkleRoot = merkleRoot(seal.leafHashes);
      seal.sealHash = sealHash(seal);
    });
    lines[9] = entryLine(forgedEntry).trimEnd();
    expect((await verifySealedExport(lines, keyring)).firstProblem).toEqual({
      kind: 'BAD_SIGNATURE',
      sealSequence: 2,
      keyId: signer.keyId,
      line: 3,
    });
  });

  it('names an entry added under a seal, a second copy of one, and one between seals', async () => {
    // A seal over 1, 2 and 4: id 3 was never committed (a gap in the id sequence).
    const gappy = signer.sign(buildSeal(undefined, [rows[0], rows[1], rows[3]]));
    const inside = exported([gappy], rows.slice(0, 4));
    expect((await verifySealedExport(inside, keyring)).firstProblem).toEqual({
      kind: 'INSERTED',
      entryId: '3',
      sealSequence: 1,
      line: 5,
    });
    const copy = [...whole];
    copy.splice(7, 0, copy[6]);
    expect((await verifySealedExport(copy, keyring)).firstProblem).toMatchObject({
      kind: 'INSERTED',
      entryId: '3',
      sealSequence: 1,
      line: 8,
    });
    const between = exported([seals[0], seals[2]], [rows[0], rows[5], rows[9]]);
    expect((await verifySealedExport(between, keyring)).firstProblem).toMatchObject({
      kind: 'INSERTED',
      entryId: '6',
      sealSequence: null,
    });
  });

  it('names a broken link between two consecutive seals, and a stranger key', async () => {
    const relinked = edit(whole, 4, (x) => {
      const seal = x.seal;
      seal.previousSealHash = sha('elsewhere');
    });
    expect((await verifySealedExport(relinked, keyring)).firstProblem).toMatchObject({
      kind: 'SEAL_CHAIN_BROKEN',
      sealSequence: 3,
    });
    const stranger = new SealKeyring([
      new SealSigner(generateKeyPairSync('ed25519').privateKey).publicKey,
    ]);
    expect((await verifySealedExport(whole, stranger)).firstProblem).toMatchObject({
      kind: 'UNKNOWN_KEY',
      sealSequence: 1,
    });
  });

  it('refuses what is not a sealed export, saying so with the line', async () => {
    await expect(verifySealedExport(['{"id":"1"}'], keyring)).rejects.toThrow(
      /line 1: not a sealed export/,
    );
    await expect(verifySealedExport([whole[0], 'garbage'], keyring)).rejects.toThrow(
      /line 2: not JSON/,
    );
    const late = [...whole.slice(0, 5), whole[1]];
    await expect(verifySealedExport(late, keyring)).rejects.toThrow(/line 6: expected an entry/);
  });
});
