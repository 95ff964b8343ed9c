import { ConfigError } from '@lgsp/platform';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSealKeys } from './seal-keys';
import { keyIdOf } from './seal-signature';

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
};

describe('loadSealKeys', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'seal-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const problems = (f: () => unknown): string[] => {
    try {
      f();
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
    throw new Error('expected a ConfigError');
  };

  it('refuses to go on without a signing key, and says how to give one', () => {
    const [problem] = problems(() => loadSealKeys({}));
    expect(problem).toMatch(/^SEAL_SIGNING_KEY_FILE \(not set\):/);
    expect(problem).toMatch(/SEAL_SIGNING_KEY to the PEM/);
  });

  it('reads the key from a file or from the setting itself', () => {
    const key = pair();
    const file = join(dir, 'signing.pem');
    writeFileSync(file, key.privatePem);
    expect(loadSealKeys({ SEAL_SIGNING_KEY_FILE: file }).signer.keyId).toBe(key.keyId);
    expect(loadSealKeys({ SEAL_SIGNING_KEY: key.privatePem }).signer.keyId).toBe(key.keyId);
  });

  it('names a missing file, a file that holds no key, both settings at once, and a wrong key', () => {
    const missing = join(dir, 'missing.pem');
    expect(problems(() => loadSealKeys({ SEAL_SIGNING_KEY_FILE: missing }))[0]).toMatch(
      new RegExp(`SEAL_SIGNING_KEY_FILE \\(given\\) \\(${missing}\\): .*ENOENT`),
    );
    expect(problems(() => loadSealKeys({ SEAL_SIGNING_KEY: 'not a key' }))[0]).toMatch(
      /SEAL_SIGNING_KEY \(given\): not a PEM private key/,
    );
    const key = pair().privatePem;
    expect(
      problems(() => loadSealKeys({ SEAL_SIGNING_KEY: key, SEAL_SIGNING_KEY_FILE: missing }))[0],
    ).toMatch(/both set/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(problems(() => loadSealKeys({ SEAL_SIGNING_KEY: ec }))[0]).toMatch(/not an Ed25519 key/);
  });

  it('adds the old public keys of SEAL_PUBLIC_KEYS_DIR to the current one', () => {
    const [current, old1, old2] = [pair(), pair(), pair()];
    writeFileSync(join(dir, 'old-1.pem'), old1.publicPem);
    writeFileSync(join(dir, 'old-2.pem'), old2.publicPem);
    writeFileSync(join(dir, 'README'), 'not a key, and not a .pem file');
    const keys = loadSealKeys({ SEAL_SIGNING_KEY: current.privatePem, SEAL_PUBLIC_KEYS_DIR: dir });
    expect(keys.keyring.publicKeys().map((k) => k.keyId)).toEqual([
      old1.keyId,
      old2.keyId,
      current.keyId,
    ]);
  });

  it('refuses a private key, or no key, among the public keys, naming the file', () => {
    const current = pair();
    const leaked = join(dir, 'leaked.pem');
    writeFileSync(leaked, pair().privatePem);
    mkdirSync(join(dir, 'sub.pem'));
    const found = problems(() =>
      loadSealKeys({ SEAL_SIGNING_KEY: current.privatePem, SEAL_PUBLIC_KEYS_DIR: dir }),
    );
    expect(found[0]).toBe(
      `SEAL_PUBLIC_KEYS_DIR (given): ${leaked}: holds a private key; give public keys only`,
    );
    expect(found[1]).toMatch(/sub\.pem: .*EISDIR/);
    expect(
      problems(() =>
        loadSealKeys({
          SEAL_SIGNING_KEY: current.privatePem,
          SEAL_PUBLIC_KEYS_DIR: join(dir, 'x'),
        }),
      )[0],
    ).toMatch(/^SEAL_PUBLIC_KEYS_DIR \(given\): .*ENOENT/);
  });
});
