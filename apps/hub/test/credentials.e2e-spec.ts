import { hubService } from '@apps/hub';
import { VALID_EXAMPLES } from '@lgsp/contracts';
import { eventually, http, query, TEST_ADMIN_KEY, TestStack } from '@lgsp/testing';
import { createHash } from 'node:crypto';

type Issued = { id: string; apiKey: string; expiresAt: string | null };
type Answer = { code?: string; correlationId?: string };
type AdminAction = {
  id: string;
  at: string;
  actorCredentialId: string;
  actorRole: string;
  actorLabel: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('hub: credentials that expire and rotate, and a record of every administrator action', () => {
  let stack: TestStack;
  let auditor: Record<string, string>;
  const hub = (path: string) => `${stack.url('hub')}${path}`;
  const admin = { 'x-api-key': TEST_ADMIN_KEY };
  const ownership = VALID_EXAMPLES['land.ownership-registered.v1'];
  const issue = async (body: object, headers = admin) => {
    const res = await http<Issued>('POST', hub('/credentials'), body, headers);
    expect(res.status).toBe(201);
    return res.body;
  };
  const publish = (key: string) =>
    http<Answer>('POST', hub('/events/land.ownership-registered.v1'), ownership, {
      'x-api-key': key,
    });
  const actions = async (filter = '') => {
    const res = await http<{ items: AdminAction[] }>(
      'GET',
      hub(`/audit/admin-actions?limit=1000${filter}`),
      undefined,
      auditor,
    );
    expect(res.status).toBe(200);
    return res.body.items;
  };

  beforeAll(async () => {
    stack = await TestStack.start([hubService], { suffix: '_credentials' });
    auditor = { 'x-api-key': (await issue({ role: 'AUDITOR', label: 'auditor on duty' })).apiKey };
  });

  afterAll(() => stack.close());

  it('keeps a key only as its SHA-256, and never lists the hash', async () => {
    const issued = await issue({ role: 'SYSTEM', system: 'land' });
    const [row] = await query<{ row: string; key_sha256: string }>(
      stack.databaseUrl('hub'),
      'SELECT row_to_json(c)::text AS row, key_sha256 FROM credentials c WHERE id = $1',
      [issued.id],
    );
    expect(row.key_sha256).toBe(sha256(issued.apiKey));
    expect(row.row).not.toContain(issued.apiKey);
    const listed = await http<object[]>('GET', hub('/credentials'), undefined, admin);
    expect(JSON.stringify(listed.body)).not.toContain(row.key_sha256);
  });

  it('refuses a key after its expiry with HUB.CREDENTIAL_EXPIRED, at the door and on the API', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const system = await issue({ role: 'SYSTEM', system: 'land', expiresAt });
    const person = await issue({ role: 'AUDITOR', expiresAt });
    expect(system.expiresAt).toBe(expiresAt);
    expect((await publish(system.apiKey)).status).toBe(202);
    const refused = await eventually(
      async () => {
        const r = await publish(system.apiKey);
        return r.status === 401 ? r : undefined;
      },
      { timeoutMs: 10_000, what: 'the system key to expire' },
    );
    expect(refused.body.code).toBe('HUB.CREDENTIAL_EXPIRED');
    const api = await http<Answer>('GET', hub('/audit/queries'), undefined, {
      'x-api-key': person.apiKey,
    });
    expect([api.status, api.body.code]).toEqual([401, 'HUB.CREDENTIAL_EXPIRED']);
    const [tx] = await eventually(
      async () => {
        const r = await http<{ status: string; errorCode: string }[]>(
          'GET',
          hub(`/transactions?correlationId=${refused.body.correlationId}`),
          undefined,
          admin,
        );
        return r.body.length ? r.body : undefined;
      },
      { what: 'the refusal logged as a REJECTED transaction' },
    );
    expect([tx.status, tx.errorCode]).toEqual(['REJECTED', 'HUB.CREDENTIAL_EXPIRED']);
  });

  it('refuses an expiry that has already passed', async () => {
    const res = await http<Answer>(
      'POST',
      hub('/credentials'),
      { role: 'AUDITOR', expiresAt: '2020-01-01T00:00:00Z' },
      admin,
    );
    expect([res.status, res.body.code]).toEqual([400, 'HUB.EXPIRY_IN_THE_PAST']);
  });

  it('rotates without downtime: old and new keys both work until the old one is revoked', async () => {
    const old = await issue({ role: 'SYSTEM', system: 'land', label: 'land registry, 2026' });
    const rotated = await http<Issued & { replaces: string; label: string }>(
      'POST',
      hub(`/credentials/${old.id}/rotate`),
      {},
      admin,
    );
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({ replaces: old.id, label: 'land registry, 2026' });
    expect((await publish(old.apiKey)).status).toBe(202);
    expect((await publish(rotated.body.apiKey)).status).toBe(202);
    const revoke = await http('DELETE', hub(`/credentials/${old.id}`), undefined, admin);
    expect(revoke.status).toBe(204);
    const afterwards = await publish(old.apiKey);
    expect([afterwards.status, afterwards.body.code]).toEqual([401, 'HUB.INVALID_CREDENTIAL']);
    expect((await publish(rotated.body.apiKey)).status).toBe(202);
  });

  it('can retire the old key by itself some time after a rotation', async () => {
    const old = await issue({ role: 'SYSTEM', system: 'land' });
    const rotated = await http<Issued & { oldExpiresAt: string }>(
      'POST',
      hub(`/credentials/${old.id}/rotate`),
      { retireOldAfterSeconds: 1 },
      admin,
    );
    expect(new Date(rotated.body.oldExpiresAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    const refused = await eventually(
      async () => {
        const r = await publish(old.apiKey);
        return r.status === 401 ? r : undefined;
      },
      { timeoutMs: 10_000, what: 'the old key to retire' },
    );
    expect(refused.body.code).toBe('HUB.CREDENTIAL_EXPIRED');
    expect((await publish(rotated.body.apiKey)).status).toBe(202);
  });

  it('records who issued, rotated and revoked credentials, and when, for auditors', async () => {
    const t0 = Date.now() - 1000;
    const issued = await issue({ role: 'SYSTEM', system: 'land' });
    const rotated = await http<Issued>('POST', hub(`/credentials/${issued.id}/rotate`), {}, admin);
    await http('DELETE', hub(`/credentials/${issued.id}`), undefined, admin);
    const mine = (await actions('&action=credential.')).filter(
      (a) => a.target === issued.id || a.target === rotated.body.id,
    );
    expect(mine.map((a) => [a.action, a.target])).toEqual([
      ['credential.issued', issued.id],
      ['credential.rotated', rotated.body.id],
      ['credential.revoked', issued.id],
    ]);
    for (const a of mine) {
      expect(a).toMatchObject({
        actorCredentialId: 'configured-admin-key',
        actorRole: 'ADMIN',
        actorLabel: 'HUB_ADMIN_KEY',
      });
      expect(new Date(a.at).getTime()).toBeGreaterThanOrEqual(t0);
    }
    expect(mine[1].details).toMatchObject({ replaces: issued.id, system: 'land' });
    const all = JSON.stringify(await actions());
    expect(all).not.toContain(issued.apiKey);
    expect(all).not.toContain(sha256(issued.apiKey));
  });

  it('records catalogue changes, disabling and enabling included, with the acting credential', async () => {
    const person = await issue({ role: 'ADMIN', label: 'Trần Thị Bình, quản trị' });
    const as = { 'x-api-key': person.apiKey };
    const patch = (status: string) =>
      http('PATCH', hub('/catalogue/systems/insurance'), { status }, as);
    expect((await patch('DISABLED')).status).toBe(200);
    expect((await patch('ACTIVE')).status).toBe(200);
    const sub = await http(
      'PUT',
      hub('/catalogue/subscriptions/insurance/citizen-death'),
      { purpose: 'Đóng thẻ BHYT khi người tham gia qua đời', status: 'DISABLED' },
      as,
    );
    expect(sub.status).toBe(200);
    const mine = await actions(`&actor=${person.id}`);
    expect(mine.map((a) => [a.action, a.target])).toEqual([
      ['catalogue.system.disabled', 'insurance'],
      ['catalogue.system.enabled', 'insurance'],
      ['catalogue.subscription.disabled', 'insurance/citizen-death'],
    ]);
    expect(mine[0]).toMatchObject({
      actorRole: 'ADMIN',
      actorLabel: 'Trần Thị Bình, quản trị',
      details: { before: { status: 'ACTIVE' }, after: { status: 'DISABLED' } },
    });
  });

  it('lets auditors and administrators read the record, and nobody else', async () => {
    const system = await issue({ role: 'SYSTEM', system: 'land' });
    const operator = await issue({ role: 'OPERATOR' });
    for (const key of [system.apiKey, operator.apiKey]) {
      const res = await http<Answer>('GET', hub('/audit/admin-actions'), undefined, {
        'x-api-key': key,
      });
      expect([res.status, res.body.code]).toEqual([403, 'HUB.FORBIDDEN']);
    }
    expect((await http('GET', hub('/audit/admin-actions'), undefined, admin)).status).toBe(200);
  });

  it('keeps the record append-only', async () => {
    const db = stack.databaseUrl('hub');
    await expect(
      query(db, "UPDATE admin_actions SET actor_label = 'someone else'"),
    ).rejects.toThrow(/append-only/);
    await expect(query(db, 'DELETE FROM admin_actions')).rejects.toThrow(/append-only/);
    await expect(query(db, 'TRUNCATE admin_actions')).rejects.toThrow(/append-only/);
  });
});
