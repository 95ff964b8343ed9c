import { hubService, keyIdOf } from '@apps/hub';
import { exportLog, HubClient, publicKeysFileOf, verifyExportFile } from '@apps/hubctl';
import {
  eventually,
  http,
  issueKey,
  produceCitizensRegistered,
  TestStack,
  testSealSigningKey,
} from '@lgsp/testing';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('hubctl: a sealed export, checked offline with the public key alone', () => {
  let stack: TestStack;
  let client: HubClient;
  let dir: string;
  const citizenId = '001226000888';
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lgsp-export-'));
    stack = await TestStack.start([hubService], {
      suffix: '_export_offline',
      env: { SEAL_INTERVAL_SECONDS: '1', SEAL_MAX_ENTRIES: '10' },
    });
    const auditor = await issueKey(stack.url('hub'), 'AUDITOR');
    client = new HubClient(stack.url('hub'), auditor);
    await produceCitizensRegistered(stack, [
      ...Array.from({ length: 4 }, () => citizenId),
      ...Array.from({ length: 20 }, (_, i) => `0012260${String(40000 + i)}`),
    ]);
    await eventually(
      async () => {
        const v = (
          await http<{ checkedEntries: number; unsealedEntries: number }>(
            'POST',
            `${stack.url('hub')}/audit/verify`,
            {},
            { 'x-api-key': auditor },
          )
        ).body;
        return v.checkedEntries >= 24 && v.unsealedEntries === 0 ? true : undefined;
      },
      { what: '24 entries sealed' },
    );
    await exportLog(client, { format: 'sealed' }, file('log.ndjson'));
  });

  afterAll(async () => {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the hub public key beside the export, and the untouched export passes', async () => {
    const pem = readFileSync(publicKeysFileOf(file('log.ndjson')), 'utf8');
    const keyId = keyIdOf(createPublicKey(testSealSigningKey()));
    expect(keyIdOf(createPublicKey(pem))).toBe(keyId);
    expect(await verifyExportFile(file('log.ndjson'))).toMatchObject({
      ok: true,
      seals: 3,
      signedSeals: 3,
      keyIds: [keyId],
      checkedEntries: 24,
      uncheckedEntries: 0,
    });
  });

  it('names the entry altered in the file, and its line', async () => {
    const lines = readFileSync(file('log.ndjson'), 'utf8').trimEnd().split('\n');
    const n = lines.findIndex((l) => l.startsWith('{"entry"')) + 7;
    const target = JSON.parse(lines[n]) as { entry: { id: string; status: string } };
    target.entry.status = 'FAILED';
    lines[n] = JSON.stringify(target);
    writeFileSync(file('altered.ndjson'), `${lines.join('\n')}\n`);
    const result = await verifyExportFile(file('altered.ndjson'), {
      publicKeyFile: publicKeysFileOf(file('log.ndjson')),
    });
    expect(result).toMatchObject({
      ok: false,
      firstProblem: { kind: 'ALTERED', entryId: target.entry.id, line: n + 1 },
    });
  });

  it('passes a filtered export: the citizen’s entries and the seals over them', async () => {
    await exportLog(client, { format: 'sealed', citizenId }, file('citizen.ndjson'));
    const text = readFileSync(file('citizen.ndjson'), 'utf8');
    expect(text).not.toContain(citizenId);
    expect(await verifyExportFile(file('citizen.ndjson'))).toMatchObject({
      ok: true,
      checkedEntries: 4,
    });
  });

  it('names the seals a key it was not given signed, and refuses a plain export', async () => {
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' });
    writeFileSync(file('other.pem'), other);
    const result = await verifyExportFile(file('log.ndjson'), {
      publicKeyFile: file('other.pem'),
    });
    expect(result.firstProblem).toMatchObject({ kind: 'UNKNOWN_KEY', sealSequence: 1 });
    await exportLog(client, { format: 'ndjson' }, file('plain.ndjson'));
    await expect(
      verifyExportFile(file('plain.ndjson'), { publicKeyFile: file('other.pem') }),
    ).rejects.toThrow(/line 1: not a sealed export/);
  });
});
