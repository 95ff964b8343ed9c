import { hubService } from '@apps/hub';
import { type CitizenRegisteredV1, VALID_EXAMPLES } from '@lgsp/contracts';
import {
  eventRecord,
  eventually,
  http,
  issueKey,
  produceRaw,
  query,
  TestStack,
} from '@lgsp/testing';
import { randomUUID } from 'node:crypto';

type Verification = {
  ok: boolean;
  checkedEntries: number;
  unsealedEntries: number;
  firstProblem?: { kind: string; entryId?: string };
};

describe('hub: audit queries, export, and a log that shows tampering', () => {
  let stack: TestStack;
  let auditor: Record<string, string>;
  const hub = (path: string) => `${stack.url('hub')}${path}`;
  const db = () => stack.databaseUrl('hub');
  const citizenId = '001226000777';
  const verify = async () =>
    (await http<Verification>('POST', hub('/audit/verify'), {}, auditor)).body;
  const about = (personalId: string) => {
    const data: CitizenRegisteredV1 = {
      ...(VALID_EXAMPLES['population.citizen-registered.v1'] as CitizenRegisteredV1),
      personalId,
      birthRegistrationId: randomUUID(),
    };
    return eventRecord(stack, 'population', 'population.citizen-registered.v1', data);
  };
  const sealed = (entries: number) =>
    eventually(
      async () => {
        const v = await verify();
        return v.checkedEntries >= entries && v.unsealedEntries === 0 ? true : undefined;
      },
      { what: `${entries} entries sealed` },
    );

  beforeAll(async () => {
    stack = await TestStack.start([hubService], {
      suffix: '_audit',
      env: { SEAL_INTERVAL_SECONDS: '1', SEAL_MAX_ENTRIES: '10' },
    });
    auditor = { 'x-api-key': await issueKey(stack.url('hub'), 'AUDITOR') };
    // Five events about one citizen, and twenty about others.
    const first = [
      ...Array.from({ length: 5 }, () => about(citizenId)),
      ...Array.from({ length: 20 }, (_, i) => about(`0012260${String(10000 + i)}`)),
    ];
    await produceRaw(
      first[0].topic,
      first.map((r) => r.message),
    );
    await sealed(25);
    // Ids may have gaps (an insert that conflicts, or rolls back, uses one up): make one.
    await query(
      db(),
      "SELECT setval(pg_get_serial_sequence('log_entries', 'id'), (SELECT max(id) FROM log_entries) + 3)",
    );
    const more = Array.from({ length: 5 }, (_, i) => about(`0012260${String(20000 + i)}`));
    await produceRaw(
      first[0].topic,
      more.map((r) => r.message),
    );
    await sealed(30);
  });

  afterAll(() => stack.close());

  it('finds a citizen by ID number, hashed by the server and never kept in clear', async () => {
    const res = await http<{ items: { subject_hash: string }[] }>(
      'GET',
      hub(`/audit/log?citizenId=${citizenId}`),
      undefined,
      auditor,
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(5);
    const [{ n }] = await query<{ n: string }>(
      db(),
      'SELECT count(*) AS n FROM audit_queries a WHERE a::text LIKE $1',
      [`%${citizenId}%`],
    );
    expect(n).toBe('0');
    const [recorded] = await query<{ filter: { citizenSubjectHash?: string } }>(
      db(),
      "SELECT filter FROM audit_queries WHERE filter ? 'citizenSubjectHash' ORDER BY at DESC LIMIT 1",
    );
    expect(recorded.filter.citizenSubjectHash).toBe(res.body.items[0].subject_hash);
  });

  it('keeps entries in the partition of their month', async () => {
    const rows = await query<{ partition: string; n: string }>(
      db(),
      'SELECT tableoid::regclass::text AS partition, count(*) AS n FROM log_entries GROUP BY 1',
    );
    const month = new Date().toISOString().slice(0, 7).replace('-', '_');
    expect(rows).toEqual([{ partition: `log_entries_${month}`, n: '30' }]);
  });

  it('pages with a keyset cursor, without overlap', async () => {
    const first = await http<{ items: { id: string }[]; next: string }>(
      'GET',
      hub('/audit/log?limit=10'),
      undefined,
      auditor,
    );
    const second = await http<{ items: { id: string }[] }>(
      'GET',
      hub(`/audit/log?limit=10&after=${first.body.next}`),
      undefined,
      auditor,
    );
    expect(first.body.items).toHaveLength(10);
    const ids = [...first.body.items, ...second.body.items].map((e) => Number(e.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('exports the same filter as CSV and as NDJSON', async () => {
    const csv = await (await fetch(hub('/audit/export?format=csv'), { headers: auditor })).text();
    const ndjson = await (
      await fetch(hub('/audit/export?format=ndjson'), { headers: auditor })
    ).text();
    const lines = csv.trimEnd().split('\n');
    expect(lines[0].startsWith('id,kind,event_id')).toBe(true);
    const rows = ndjson
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string });
    expect(lines.length - 1).toBe(rows.length);
    expect(rows.length).toBe(30);
  });

  it('is for auditors: an operator key is refused', async () => {
    const operator = { 'x-api-key': await issueKey(stack.url('hub'), 'OPERATOR') };
    const res = await http<{ code: string }>('GET', hub('/audit/log'), undefined, operator);
    expect([res.status, res.body.code]).toEqual([403, 'HUB.FORBIDDEN']);
  });

  describe('tampering', () => {
    it('starts from an intact log', async () => {
      expect(await verify()).toMatchObject({ ok: true, unsealedEntries: 0, checkedEntries: 30 });
    });

    it('names an edited entry, and is whole again once it is put back', async () => {
      const [row] = await query<{ id: string }>(
        db(),
        'SELECT id::text FROM log_entries ORDER BY id OFFSET 7 LIMIT 1',
      );
      await query(db(), "UPDATE log_entries SET status = 'FAILED' WHERE id = $1", [row.id]);
      expect((await verify()).firstProblem).toEqual(
        expect.objectContaining({ kind: 'ALTERED', entryId: row.id }),
      );
      await query(db(), "UPDATE log_entries SET status = 'PUBLISHED' WHERE id = $1", [row.id]);
      expect((await verify()).ok).toBe(true);
    });

    it('names a deleted entry, and is whole again once it is put back', async () => {
      const [row] = await query<{ id: string; saved: Record<string, unknown> }>(
        db(),
        'SELECT id::text, row_to_json(e) AS saved FROM log_entries e ORDER BY id OFFSET 12 LIMIT 1',
      );
      await query(db(), 'DELETE FROM log_entries WHERE id = $1', [row.id]);
      expect((await verify()).firstProblem).toEqual(
        expect.objectContaining({ kind: 'REMOVED', entryId: row.id }),
      );
      await query(
        db(),
        'INSERT INTO log_entries SELECT * FROM json_populate_record(NULL::log_entries, $1)',
        [JSON.stringify(row.saved)],
      );
      expect((await verify()).ok).toBe(true);
    });

    it('names an entry slipped into a sealed range', async () => {
      const [gap] = await query<{ id: string }>(
        db(),
        `SELECT g::text AS id FROM generate_series(1, (SELECT max(last_entry_id) FROM seals)) g
          WHERE NOT EXISTS (SELECT 1 FROM log_entries WHERE id = g) ORDER BY g LIMIT 1`,
      );
      expect(gap).toBeDefined();
      await query(
        db(),
        `INSERT INTO log_entries (id, record_id, kind, event_id, occurred_at, topic, kafka_partition, kafka_offset)
         VALUES ($1, 'forged', 'PUBLISHED', 'forged', now(), 'forged', 0, 0)`,
        [gap.id],
      );
      expect((await verify()).firstProblem).toEqual(
        expect.objectContaining({ kind: 'INSERTED', entryId: gap.id }),
      );
      await query(db(), 'DELETE FROM log_entries WHERE id = $1', [gap.id]);
      expect((await verify()).ok).toBe(true);
    });
  });
});
