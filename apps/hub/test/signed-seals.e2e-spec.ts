import {
  buildSeal,
  hubService,
  keyIdOf,
  loadEntries,
  type SealableEntry,
  SealRow,
  toSeal,
  verifySeals,
} from '@apps/hub';
import { startService } from '@lgsp/platform';
import {
  eventually,
  http,
  issueKey,
  produceCitizensRegistered,
  query,
  serviceTestEnv,
  TestStack,
  testSealSigningKey,
} from '@lgsp/testing';
import { createPublicKey } from 'node:crypto';
import { DataSource } from 'typeorm';

type Verification = {
  ok: boolean;
  checkedEntries: number;
  unsealedEntries: number;
  signedSeals: number;
  unsignedSeals: number;
  firstProblem?: { kind: string; sealSequence?: number; entryId?: string; keyId?: string };
};

const SUFFIX = '_signed_seals';

describe('hub: seals signed with a key the database does not hold', () => {
  let stack: TestStack;
  let auditor: Record<string, string>;
  const hub = (path: string) => `${stack.url('hub')}${path}`;
  const db = () => stack.databaseUrl('hub');
  const dataSource = () => stack.service('hub').app.get(DataSource);
  const verify = async (body: object = {}) =>
    (await http<Verification>('POST', hub('/audit/verify'), body, auditor)).body;
  const keyId = keyIdOf(createPublicKey(testSealSigningKey()));

  beforeAll(async () => {
    stack = await TestStack.start([hubService], {
      suffix: SUFFIX,
      env: { SEAL_INTERVAL_SECONDS: '1', SEAL_MAX_ENTRIES: '10' },
    });
    auditor = { 'x-api-key': await issueKey(stack.url('hub'), 'AUDITOR') };
    await produceCitizensRegistered(
      stack,
      Array.from({ length: 25 }, (_, i) => `0012260${String(30000 + i)}`),
    );
    await eventually(
      async () => {
        const v = await verify();
        return v.checkedEntries >= 25 && v.unsealedEntries === 0 ? v : undefined;
      },
      { what: '25 entries sealed' },
    );
  });

  afterAll(() => stack.close());

  it('serves its public key to anyone, under the key id every seal carries', async () => {
    const res = await http<{ algorithm: string; keyId: string; publicKeyPem: string }>(
      'GET',
      hub('/audit/public-key'),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ algorithm: 'Ed25519', keyId });
    expect(keyIdOf(createPublicKey(res.body.publicKeyPem))).toBe(keyId);
    const seals = await query<{ key_id: string; bytes: number }>(
      db(),
      'SELECT key_id, length(signature) AS bytes FROM seals',
    );
    expect(seals.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seals.map((s) => `${s.key_id}/${s.bytes}`))).toEqual(new Set([`${keyId}/64`]));
    expect(await verify()).toMatchObject({ ok: true, unsignedSeals: 0 });
  });

  it('does not start without a signing key, and names the setting', async () => {
    const env = serviceTestEnv('hub', { SEAL_SIGNING_KEY: undefined }, SUFFIX);
    await expect(startService(hubService, env)).rejects.toThrow(
      /SEAL_SIGNING_KEY_FILE \(not set\): the hub signs every seal/,
    );
  });

  describe('an insider with write access to the database', () => {
    let saved: Record<string, unknown>[];
    beforeEach(async () => {
      saved = await query(db(), 'SELECT * FROM seals ORDER BY sequence');
    });
    afterEach(async () => {
      for (const s of saved) {
        await query(
          db(),
          `UPDATE seals SET leaf_hashes = $2, merkle_root = $3, previous_seal_hash = $4,
                  seal_hash = $5, key_id = $6, signature = $7 WHERE sequence = $1`,
          [
            s.sequence,
            s.leaf_hashes,
            s.merkle_root,
            s.previous_seal_hash,
            s.seal_hash,
            s.key_id,
            s.signature,
          ],
        );
      }
      expect((await verify()).ok).toBe(true);
    });

    /** Every seal from the second on, rebuilt from the rows as they are now, as the hub would. */
    async function reseal(): Promise<void> {
      const rows = await dataSource()
        .getRepository(SealRow)
        .find({ order: { sequence: 'ASC' } });
      let previous = toSeal(rows[0]);
      for (const row of rows.slice(1)) {
        const entries = await loadEntries(
          dataSource().manager,
          previous.lastEntryId,
          String(row.lastEntryId),
        );
        const remade = buildSeal(previous, entries);
        await query(
          db(),
          `UPDATE seals SET leaf_hashes = $2, merkle_root = $3, previous_seal_hash = $4,
                  seal_hash = $5 WHERE sequence = $1`,
          [
            row.sequence,
            Buffer.concat(remade.leafHashes.map((h) => Buffer.from(h, 'hex'))),
            remade.merkleRoot,
            remade.previousSealHash,
            remade.sealHash,
          ],
        );
        previous = remade;
      }
    }

    /** What a verifier of Merkle roots and chain alone (no signatures) would conclude. */
    async function merkleOnly(): Promise<boolean> {
      const seals = (
        await dataSource()
          .getRepository(SealRow)
          .find({ order: { sequence: 'ASC' } })
      ).map(toSeal);
      const all = await loadEntries(
        dataSource().manager,
        undefined,
        seals[seals.length - 1].lastEntryId,
      );
      const within = (after: string | undefined, last: string) => (e: SealableEntry) =>
        BigInt(e.id) > BigInt(after ?? '0') && BigInt(e.id) <= BigInt(last);
      return verifySeals(seals, (seal, after) => all.filter(within(after, seal.lastEntryId))).ok;
    }

    it('edits an entry and re-hashes every seal from its own: the first forged seal is named', async () => {
      const [second] = await query<{ entry_id: string; status: string }>(
        db(),
        `SELECT e.id::text AS entry_id, e.status FROM seals s JOIN log_entries e ON e.id = s.entry_ids[3]
          WHERE s.sequence = 2`,
      );
      await query(db(), "UPDATE log_entries SET status = 'FAILED' WHERE id = $1", [
        second.entry_id,
      ]);
      try {
        expect((await verify()).firstProblem).toMatchObject({
          kind: 'ALTERED',
          entryId: second.entry_id,
        });
        await reseal();
        expect(await merkleOnly()).toBe(true);
        expect(await verify()).toMatchObject({
          ok: false,
          firstProblem: { kind: 'BAD_SIGNATURE', sealSequence: 2, keyId },
        });
      } finally {
        await query(db(), 'UPDATE log_entries SET status = $2 WHERE id = $1', [
          second.entry_id,
          second.status,
        ]);
      }
    });

    it('strips the signatures of the newest seals: named as unsigned after signing began', async () => {
      await query(db(), 'UPDATE seals SET signature = NULL, key_id = NULL WHERE sequence >= 2');
      expect((await verify()).firstProblem).toEqual({ kind: 'UNSIGNED_SEAL', sealSequence: 2 });
    });

    it('strips every signature: the log reads as made before signing, unless told otherwise', async () => {
      await query(db(), 'UPDATE seals SET signature = NULL, key_id = NULL');
      expect(await verify()).toMatchObject({ ok: true, signedSeals: 0 });
      expect((await verify({ signedFrom: 1 })).firstProblem).toEqual({
        kind: 'UNSIGNED_SEAL',
        sealSequence: 1,
      });
    });
  });
});
