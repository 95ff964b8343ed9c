import { generateKeyPairSync } from 'node:crypto';
import { buildSeal, type Seal, type SealableEntry } from './merkle';
import { entry } from './seal.fixtures';
import { SealKeyring, SealSigner } from './seal-signature';
import { type EntriesOf, verifySeals } from './verify';

const newSigner = () => new SealSigner(generateKeyPairSync('ed25519').privateKey);

/** Seals over ids 1–4, 5–8, 9–12 …, each built on the one before; `sign` picks which to sign. */
function chain(
  rows: Map<string, SealableEntry>,
  count: number,
  sign: (sequence: number) => SealSigner | undefined,
): Seal[] {
  const seals: Seal[] = [];
  for (let i = 0; i < count; i++) {
    const ids = [1, 2, 3, 4].map((k) => String(i * 4 + k));
    const seal = buildSeal(
      seals[i - 1],
      ids.map((id) => rows.get(id)!),
    );
    const signer = sign(seal.sequence);
    seals.push(signer ? signer.sign(seal) : seal);
  }
  return seals;
}

describe('verifySeals with signatures', () => {
  const signer = newSigner();
  const keyring = new SealKeyring([signer.publicKey]);
  const signatures = { keyring };
  let rows: Map<string, SealableEntry>;
  const entriesOf: EntriesOf = (seal) =>
    seal.entryIds.flatMap((id) => (rows.has(id) ? [rows.get(id)!] : []));

  beforeEach(() => {
    rows = new Map(Array.from({ length: 16 }, (_, i) => [String(i + 1), entry(i + 1)]));
  });

  it('passes a signed chain and counts its signed seals', () => {
    const seals = chain(rows, 4, () => signer);
    expect(verifySeals(seals, entriesOf, { signatures })).toMatchObject({
      ok: true,
      checkedSeals: 4,
      signedSeals: 4,
      unsignedSeals: 0,
    });
  });

  it('names the first seal an insider re-hashed after editing an entry under it', () => {
    const seals = chain(rows, 4, () => signer);
    // The insider edits entry 6 and rebuilds seal 2 and every later one from the rows as they
    // now are, keeping the stored signatures (they cannot make new ones).
    rows.set('6', entry(6, { status: 'FAILED' }));
    const forged = chain(rows, 4, () => undefined).map((s, i) => ({
      ...s,
      keyId: seals[i].keyId,
      signature: seals[i].signature,
    }));
    // Merkle roots and chain alone are fooled: that is what the insider counted on.
    expect(verifySeals(forged, entriesOf).ok).toBe(true);
    expect(verifySeals(forged, entriesOf, { signatures })).toMatchObject({
      ok: false,
      checkedSeals: 1,
      firstProblem: { kind: 'BAD_SIGNATURE', sealSequence: 2, keyId: signer.keyId },
    });
  });

  it('keeps seals made before signing verifiable, vouched for by the first signed one', () => {
    const seals = chain(rows, 4, (n) => (n >= 3 ? signer : undefined));
    expect(verifySeals(seals, entriesOf, { signatures })).toMatchObject({
      ok: true,
      signedSeals: 2,
      unsignedSeals: 2,
    });
    // An unsigned seal still has its Merkle root checked, and the signed seal's hash
    // covers the chain back to it.
    rows.set('2', entry(2, { reason: 'rewritten' }));
    expect(verifySeals(seals, entriesOf, { signatures }).firstProblem).toEqual({
      kind: 'ALTERED',
      entryId: '2',
      sealSequence: 1,
    });
  });

  it('refuses an unsigned seal after the first signed one, or from the sequence asked', () => {
    const seals = chain(rows, 4, (n) => (n === 2 || n === 3 ? signer : undefined));
    expect(verifySeals(seals, entriesOf, { signatures }).firstProblem).toEqual({
      kind: 'UNSIGNED_SEAL',
      sealSequence: 4,
    });
    const legacy = chain(rows, 2, () => undefined);
    expect(verifySeals(legacy, entriesOf, { signatures }).ok).toBe(true);
    expect(
      verifySeals(legacy, entriesOf, { signatures: { keyring, signedFrom: 1 } }).firstProblem,
    ).toEqual({ kind: 'UNSIGNED_SEAL', sealSequence: 1 });
  });

  it('names a seal signed with a key it was not given', () => {
    const stranger = newSigner();
    const seals = chain(rows, 3, (n) => (n === 3 ? stranger : signer));
    expect(verifySeals(seals, entriesOf, { signatures }).firstProblem).toEqual({
      kind: 'UNKNOWN_KEY',
      sealSequence: 3,
      keyId: stranger.keyId,
    });
    const rotated = { keyring: new SealKeyring([signer.publicKey, stranger.publicKey]) };
    expect(verifySeals(seals, entriesOf, { signatures: rotated }).ok).toBe(true);
  });
});
