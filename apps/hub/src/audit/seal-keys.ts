import { ConfigError } from '@lgsp/platform';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publicKeysOfPem, SealKeyring, SealSigner } from './seal-signature';

/** Where the hub finds its seal keys: settings of HubConfig, all outside the database. */
export interface SealKeySettings {
  SEAL_SIGNING_KEY_FILE?: string;
  SEAL_SIGNING_KEY?: string;
  SEAL_PUBLIC_KEYS_DIR?: string;
}

export interface SealKeys {
  signer: SealSigner;
  /** The signer's public key and every older one from SEAL_PUBLIC_KEYS_DIR. */
  keyring: SealKeyring;
}

/**
 * Reads the signing key (PEM, PKCS#8 Ed25519) from SEAL_SIGNING_KEY_FILE or SEAL_SIGNING_KEY,
 * and the public keys of earlier signing keys from every `*.pem` in SEAL_PUBLIC_KEYS_DIR.
 * There is no unsigned mode: without a key the hub does not start (the local scripts and the
 * tests always give one). Every problem is listed at once, as configuration errors are.
 */
export function loadSealKeys(settings: SealKeySettings): SealKeys {
  const problems: string[] = [];
  const signer = loadSigner(settings, problems);
  const older = settings.SEAL_PUBLIC_KEYS_DIR
    ? loadPublicKeys(settings.SEAL_PUBLIC_KEYS_DIR, problems)
    : [];
  if (!signer || problems.length > 0) throw new ConfigError(problems);
  return { signer, keyring: new SealKeyring([...older, signer.publicKey]) };
}

function loadSigner(s: SealKeySettings, problems: string[]): SealSigner | undefined {
  if (s.SEAL_SIGNING_KEY_FILE && s.SEAL_SIGNING_KEY) {
    problems.push('SEAL_SIGNING_KEY_FILE and SEAL_SIGNING_KEY are both set: give only one');
    return undefined;
  }
  if (!s.SEAL_SIGNING_KEY_FILE && !s.SEAL_SIGNING_KEY) {
    problems.push(
      'SEAL_SIGNING_KEY_FILE (not set): the hub signs every seal of the exchange log and does ' +
        'not start without its Ed25519 private key. Set SEAL_SIGNING_KEY_FILE to a PEM file ' +
        '(openssl genpkey -algorithm ed25519 -out seal-signing.pem; npm start makes ' +
        '.local/seal-signing.pem) or SEAL_SIGNING_KEY to the PEM itself.',
    );
    return undefined;
  }
  const name = s.SEAL_SIGNING_KEY_FILE ? 'SEAL_SIGNING_KEY_FILE' : 'SEAL_SIGNING_KEY';
  const where = s.SEAL_SIGNING_KEY_FILE ? ` (${s.SEAL_SIGNING_KEY_FILE})` : '';
  try {
    const pem = s.SEAL_SIGNING_KEY ?? readFileSync(s.SEAL_SIGNING_KEY_FILE!, 'utf8');
    return new SealSigner(privateKeyOf(pem));
  } catch (e) {
    problems.push(`${name} (given)${where}: ${(e as Error).message}`);
    return undefined;
  }
}

function privateKeyOf(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (e) {
    throw new Error(`not a PEM private key (${(e as Error).message})`);
  }
}

function loadPublicKeys(dir: string, problems: string[]): KeyObject[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.pem'));
  } catch (e) {
    problems.push(`SEAL_PUBLIC_KEYS_DIR (given): ${(e as Error).message}`);
    return [];
  }
  const keys: KeyObject[] = [];
  for (const file of files.sort()) {
    const path = join(dir, file);
    try {
      keys.push(...publicKeysOfPem(readFileSync(path, 'utf8')));
    } catch (e) {
      problems.push(`SEAL_PUBLIC_KEYS_DIR (given): ${path}: ${(e as Error).message}`);
    }
  }
  return keys;
}
