import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { buildSeal } from './merkle';
import { entry } from './seal.fixtures';
import { keyIdOf, publicKeysOfPem, SealKeyring, SealSigner } from './seal-signature';

const newSigner = () => new SealSigner(generateKeyPairSync('ed25519').privateKey);
const seal = buildSeal(undefined, [entry(1), entry(2), entry(3)]);

describe('SealSigner and SealKeyring', () => {
  const signer = newSigner();
  const keyring = new SealKeyring([signer.publicKey]);

  it('names a key by the first 8 bytes of SHA-256 over its DER public key', () => {
    const der = signer.publicKey.export({ type: 'spki', format: 'der' });
    expect(signer.keyId).toBe(createHash('sha256').update(der).digest('hex').slice(0, 16));
    expect(keyIdOf(createPublicKey(keyring.toPem()))).toBe(signer.keyId);
  });

  it('signs a seal with a 64-byte Ed25519 signature that the public key accepts', () => {
    const signed = signer.sign(seal);
    expect(signed.keyId).toBe(signer.keyId);
    expect(Buffer.from(signed.signature, 'base64')).toHaveLength(64);
    expect(keyring.check(signed)).toBe('SIGNED');
  });

  it('refuses the signature of a seal re-hashed after signing', () => {
    const signed = signer.sign(seal);
    const remade = buildSeal(undefined, [entry(1), entry(2, { status: 'FAILED' }), entry(3)]);
    expect(keyring.check({ ...remade, keyId: signed.keyId, signature: signed.signature })).toBe(
      'BAD_SIGNATURE',
    );
  });

  it('tells a stranger key, a borrowed key id, an unsigned seal and a half signature apart', () => {
    const stranger = newSigner();
    expect(keyring.check(stranger.sign(seal))).toBe('UNKNOWN_KEY');
    expect(keyring.check({ ...stranger.sign(seal), keyId: signer.keyId })).toBe('BAD_SIGNATURE');
    expect(keyring.check(seal)).toBe('UNSIGNED');
    expect(keyring.check({ ...seal, keyId: signer.keyId })).toBe('BAD_SIGNATURE');
    const { signature } = signer.sign(seal);
    expect(keyring.check({ ...seal, signature })).toBe('BAD_SIGNATURE');
  });

  it('accepts only the exact base64 of 64 bytes', () => {
    const signed = signer.sign(seal);
    expect(keyring.check({ ...signed, signature: `${signed.signature}!` })).toBe('BAD_SIGNATURE');
    expect(keyring.check({ ...signed, signature: signed.signature.slice(4) })).toBe(
      'BAD_SIGNATURE',
    );
  });

  it('checks each seal with the key its key id names, old and new (rotation)', () => {
    const old = newSigner();
    const both = new SealKeyring([old.publicKey, signer.publicKey]);
    expect(both.size).toBe(2);
    expect(both.check(old.sign(seal))).toBe('SIGNED');
    expect(both.check(signer.sign(seal))).toBe('SIGNED');
    expect(SealKeyring.fromPem(both.toPem()).check(old.sign(seal))).toBe('SIGNED');
    expect(both.publicKeys().map((k) => k.keyId)).toEqual([old.keyId, signer.keyId]);
  });

  it('takes only Ed25519 keys, private for signing and public for checking', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => new SealSigner(p256.privateKey)).toThrow(/not an Ed25519 key \(it is ec\)/);
    expect(() => new SealSigner(signer.publicKey)).toThrow(/must be private/);
    expect(() => new SealKeyring([p256.publicKey])).toThrow(/not an Ed25519 key/);
    const p256Pem = p256.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => publicKeysOfPem(p256Pem)).toThrow(/not an Ed25519 key/);
    const privatePem = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(() => publicKeysOfPem(privatePem)).toThrow(/private key/);
    expect(() => publicKeysOfPem('nothing here')).toThrow(/no PUBLIC KEY/);
  });
});
