import { loadSealKeys, type SealKeys } from '@apps/hub';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The seal keys for work on this machine (the bench): the ones the environment names, as the
 * hub would read them, or else the development key `npm start` keeps in `.local/`, made here
 * if it is missing, just as `npm start` makes it.
 */
export function localSealKeys(root: string, env: NodeJS.ProcessEnv): SealKeys {
  if (env.SEAL_SIGNING_KEY_FILE || env.SEAL_SIGNING_KEY) return loadSealKeys(env);
  const file = join(env.LGSP_LOCAL_DIR ?? join(root, '.local'), 'seal-signing.pem');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  return loadSealKeys({ SEAL_SIGNING_KEY_FILE: file });
}
