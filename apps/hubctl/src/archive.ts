import {
  archiveBefore,
  archivePublicKeysFile,
  type ArchiveVerification,
  fileLines,
  type MonthArchived,
  SealKeyring,
  verifyArchive,
} from '@apps/hub';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { localSealKeys } from './local-seal-key';

/**
 * `hubctl audit archive [--before YYYY-MM]`: archives the months of the hub's log that end by
 * `before` (by default, those older than LOG_RETENTION_MONTHS), as the hub's leader does, on
 * the hub's database (HUB_DATABASE_URL) and into LOG_ARCHIVE_DIR.
 */
export async function archiveLog(opts: {
  root: string;
  env: NodeJS.ProcessEnv;
  before?: string;
  publicKeyFile?: string;
}): Promise<MonthArchived[]> {
  const { env } = opts;
  if (opts.before !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(opts.before))
    throw new Error('--before needs a month, YYYY-MM');
  const months = Number(env.LOG_RETENTION_MONTHS ?? 0);
  if (opts.before === undefined && !(Number.isInteger(months) && months > 0))
    throw new Error('give --before YYYY-MM, or LOG_RETENTION_MONTHS (months to keep, from 1)');
  const keyring = opts.publicKeyFile
    ? SealKeyring.fromPem(readFileSync(opts.publicKeyFile, 'utf8'))
    : localSealKeys(opts.root, env).keyring;
  const dir =
    env.LOG_ARCHIVE_DIR ?? join(env.LGSP_LOCAL_DIR ?? join(opts.root, '.local'), 'log-archive');
  const pool = new Pool({
    connectionString: env.HUB_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lgsp_hub',
    max: 1,
  });
  const client = await pool.connect();
  try {
    await client.query(`SET lock_timeout = '10s'`);
    const { rows } = await client.query<{ before: Date }>(
      opts.before === undefined
        ? `SELECT date_trunc('month', now()) - make_interval(months => $1::int) AS before`
        : `SELECT ($1 || '-01')::date::timestamptz AS before`,
      [opts.before ?? months],
    );
    return await archiveBefore(client, rows[0].before, dir, keyring);
  } finally {
    client.release();
    await pool.end();
  }
}

/**
 * `hubctl audit verify --archive FILE`: checks an archived month offline, with the public keys
 * written beside it (or `publicKeyFile`), and names the first altered entry and its line.
 */
export async function verifyArchiveFile(
  file: string,
  options: { publicKeyFile?: string; signedFrom?: number } = {},
): Promise<ArchiveVerification & { publicKeyFile: string }> {
  const publicKeyFile = options.publicKeyFile ?? archivePublicKeysFile(file);
  if (!existsSync(publicKeyFile)) {
    throw new Error(
      `no public key: ${publicKeyFile} does not exist; give one with --public-key FILE (GET /audit/public-key)`,
    );
  }
  const keyring = SealKeyring.fromPem(readFileSync(publicKeyFile, 'utf8'));
  try {
    const result = await verifyArchive(fileLines(file), keyring, {
      signedFrom: options.signedFrom,
    });
    return { ...result, publicKeyFile };
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}
