import { type ExportVerification, fileLines, SealKeyring, verifySealedExport } from '@apps/hub';
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { HubClient } from './hub-client';

/** Where a sealed export's public keys are written, and looked for: beside the export. */
export const publicKeysFileOf = (exportFile: string) => `${exportFile}.public-keys.pem`;

type Flags = Partial<
  Record<
    'from' | 'to' | 'service' | 'provider' | 'consumer' | 'status' | 'correlation' | 'citizen',
    string
  >
>;

export function auditFilter(v: Flags): Record<string, string | undefined> {
  return {
    from: v.from,
    to: v.to,
    service: v.service,
    provider: v.provider,
    consumer: v.consumer,
    status: v.status,
    correlationId: v.correlation,
    citizenId: v.citizen,
  };
}

/**
 * Streams an export to a file (or stdout), counting lines on stderr as they arrive. A sealed
 * export written to a file gets the hub's public keys beside it, so that it can be checked
 * offline; whoever relies on that check compares their key ids with the hub's published ones.
 */
export async function exportLog(
  hub: HubClient,
  query: Record<string, string | undefined>,
  out?: string,
): Promise<void> {
  const res = await hub.stream('/audit/export', query);
  let lines = 0;
  let last = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      for (const byte of chunk) if (byte === 10) lines++;
      if (Date.now() - last > 200) {
        last = Date.now();
        process.stderr.write(`\rexported ${lines} lines`);
      }
      done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(res), count, out ? createWriteStream(out) : process.stdout);
  process.stderr.write(`\rexported ${lines} lines${out ? ` to ${out}` : ''}\n`);
  if (out && query.format === 'sealed') {
    const { keys } = await hub.get<{ keys: { keyId: string; publicKeyPem: string }[] }>(
      '/audit/public-key',
    );
    writeFileSync(publicKeysFileOf(out), keys.map((k) => k.publicKeyPem).join(''));
    process.stderr.write(
      `public keys ${keys.map((k) => k.keyId).join(', ')} in ${publicKeysFileOf(out)}\n`,
    );
  }
}

/**
 * Checks a sealed export with public keys alone, no hub needed: `publicKeyFile` (one or more
 * PEM public keys), or the file written beside the export.
 */
export async function verifyExportFile(
  file: string,
  options: { publicKeyFile?: string; signedFrom?: number } = {},
): Promise<ExportVerification & { publicKeyFile: string }> {
  const publicKeyFile = options.publicKeyFile ?? publicKeysFileOf(file);
  if (!existsSync(publicKeyFile)) {
    throw new Error(
      `no public key: ${publicKeyFile} does not exist; give one with --public-key FILE (GET /audit/public-key)`,
    );
  }
  let keyring: SealKeyring;
  try {
    keyring = SealKeyring.fromPem(readFileSync(publicKeyFile, 'utf8'));
  } catch (e) {
    throw new Error(`${publicKeyFile}: ${(e as Error).message}`);
  }
  try {
    // Gzipped or not (an archived month is a gzipped sealed export).
    const result = await verifySealedExport(fileLines(file), keyring, {
      signedFrom: options.signedFrom,
    });
    return { ...result, publicKeyFile };
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}
