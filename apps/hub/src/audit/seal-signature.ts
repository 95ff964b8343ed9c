import {
  createHash,
  createPublicKey,
  type KeyObject,
  sign as edSign,
  verify as edVerify,
} from 'node:crypto';
import type { Seal } from './merkle';

/**
 * A seal's key id: the first 8 bytes, in hex, of SHA-256 over the public key in DER
 * (SubjectPublicKeyInfo). Anyone can compute it from the public key alone:
 * `openssl pkey -pubin -in key.pem -outform DER | sha256sum | cut -c1-16`.
 */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/**
 * The bytes a seal's signature covers: a tagged JSON array of the key id and the seal hash.
 * The seal hash already covers the sequence, the sealed ids, the Merkle root and the previous
 * seal's hash, so one signature vouches for the seal and, through the chain, for every one
 * before it.
 */
export function signedBytes(sealHash: string, keyId: string): Buffer {
  return Buffer.from(JSON.stringify(['lgsp-seal-signature-v1', keyId, sealHash]), 'utf8');
}

/** A seal and its signature: base64 of the 64-byte Ed25519 signature, and the key's id. */
export type SignedSeal = Seal & { keyId: string; signature: string };

function assertEd25519(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${what} is not an Ed25519 key (it is ${key.asymmetricKeyType ?? 'secret'})`);
  }
}

/**
 * The Ed25519 public keys of a PEM text (one or more `PUBLIC KEY` blocks). A private key is
 * refused, not turned into its public half: it has no business in a file given to verifiers.
 */
export function publicKeysOfPem(text: string): KeyObject[] {
  if (text.includes('PRIVATE KEY')) throw new Error('holds a private key; give public keys only');
  const blocks = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g);
  if (!blocks) throw new Error('no PUBLIC KEY block found');
  return blocks.map((pem) => {
    const key = createPublicKey(pem);
    assertEd25519(key, 'a seal public key');
    return key;
  });
}

/** Signs seals with the hub's private key; the key never leaves the process. */
export class SealSigner {
  readonly publicKey: KeyObject;
  readonly keyId: string;

  constructor(private readonly privateKey: KeyObject) {
    if (privateKey.type !== 'private') throw new Error('the seal signing key must be private');
    assertEd25519(privateKey, 'the seal signing key');
    this.publicKey = createPublicKey(privateKey);
    this.keyId = keyIdOf(this.publicKey);
  }

  sign(seal: Seal): SignedSeal {
    const signature = edSign(null, signedBytes(seal.sealHash, this.keyId), this.privateKey);
    return { ...seal, keyId: this.keyId, signature: signature.toString('base64') };
  }
}

/** What a keyring says of one seal's signature. */
export type SignatureCheck = 'SIGNED' | 'UNSIGNED' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE';

/**
 * The public keys seals are checked with, by key id: the current key and the ones it
 * replaced, so seals made before a rotation stay verifiable. Only keys from outside the
 * database belong here: a key read from the tables would be the insider's own.
 */
export class SealKeyring {
  private readonly keys = new Map<string, KeyObject>();

  constructor(publicKeys: Iterable<KeyObject>) {
    for (const key of publicKeys) {
      if (key.type !== 'public') throw new Error('a seal keyring holds public keys only');
      assertEd25519(key, 'a seal public key');
      this.keys.set(keyIdOf(key), key);
    }
  }

  /** Every `-----BEGIN PUBLIC KEY-----` block of a PEM text. */
  static fromPem(text: string): SealKeyring {
    return new SealKeyring(publicKeysOfPem(text));
  }

  get size(): number {
    return this.keys.size;
  }

  /** The keys as PEM, by key id: what GET /audit/public-key serves and exports carry beside them. */
  publicKeys(): { keyId: string; publicKeyPem: string }[] {
    return [...this.keys].map(([keyId, key]) => ({
      keyId,
      publicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString(),
    }));
  }

  toPem(): string {
    return this.publicKeys()
      .map((k) => k.publicKeyPem)
      .join('');
  }

  check(seal: Pick<Seal, 'sealHash' | 'keyId' | 'signature'>): SignatureCheck {
    const { keyId, signature } = seal;
    if (keyId === undefined && signature === undefined) return 'UNSIGNED';
    // One without the other is no signature anyone made: a forgery of some kind.
    if (keyId === undefined || signature === undefined) return 'BAD_SIGNATURE';
    const key = this.keys.get(keyId);
    if (!key) return 'UNKNOWN_KEY';
    const bytes = Buffer.from(signature, 'base64');
    // Buffer.from(…, 'base64') skips what is not base64: insist on the exact encoding.
    if (bytes.length !== 64 || bytes.toString('base64') !== signature) return 'BAD_SIGNATURE';
    return edVerify(null, signedBytes(seal.sealHash, keyId), key, bytes)
      ? 'SIGNED'
      : 'BAD_SIGNATURE';
  }
}
