import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { entryLine, headerLine, sealLine } from './export-format';
import { buildSeal, type Seal, type SealableEntry } from './merkle';
import { entry } from './seal.fixtures';
import { SealKeyring, SealSigner } from './seal-signature';
import { fileLines, verifyArchive } from './verify-archive';

const signer = new SealSigner(generateKeyPairSync('ed25519').privateKey);
const keyring = new SealKeyring([signer.publicKey]);
const MONTH = {
  archive: '2025-01',
  from: '2025-01-01T00:00:00.000Z',
  to: '2025-02-01T00:00:00.000Z',
};

// One seal over ids 1–4: 1 and 3 of January (archived here), 2 and 4 of February.
const rows = [1, 2, 3, 4].map((id) =>
  entry(id, id % 2 === 0 ? { occurredAt: new Date(Date.UTC(2025, 1, 1, 0, 0, id)) } : {}),
);
const seal = signer.sign(buildSeal(undefined, rows));

const linesOf = (
  filter: Record<string, unknown>,
  seals: readonly Seal[],
  entries: readonly SealableEntry[],
): string[] =>
  [
    headerLine(filter),
    ...seals.map((s) => sealLine({ ...s, sealedAt: '2025-02-01T00:01:00.000Z' })),
    ...entries.map((e) => entryLine(e)),
  ].map((l) => l.trimEnd());

describe('verifyArchive', () => {
  it('passes a month with the whole seal that also covers the next month', async () => {
    expect(await verifyArchive(linesOf(MONTH, [seal], [rows[0], rows[2]]), keyring)).toMatchObject({
      ok: true,
      month: '2025-01',
      checkedEntries: 2,
    });
  });

  it('fails an entry of another month, and names it with its line', async () => {
    const result = await verifyArchive(linesOf(MONTH, [seal], [rows[0], rows[1]]), keyring);
    expect(result).toMatchObject({ ok: false, outsideMonth: { entryId: '2', line: 4 } });
  });

  it('fails an entry no seal covers: a month is archived only once sealed', async () => {
    const result = await verifyArchive(linesOf(MONTH, [seal], [rows[0], entry(9)]), keyring);
    expect(result).toMatchObject({ ok: false, uncheckedEntries: 1 });
  });

  it('refuses a sealed export that is not an archive', async () => {
    await expect(verifyArchive(linesOf({}, [seal], [rows[0]]), keyring)).rejects.toThrow(
      /not an archive of the log/,
    );
  });

  it('reads a file gzipped or not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lgsp-archive-lines-'));
    try {
      const text = 'one\ntwo\n';
      writeFileSync(join(dir, 'plain'), text);
      writeFileSync(join(dir, 'zipped'), gzipSync(text));
      for (const name of ['plain', 'zipped']) {
        const read: string[] = [];
        for await (const line of fileLines(join(dir, name))) read.push(line);
        expect(read).toEqual(['one', 'two']);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
