import { hubService, LogRetention, RecordExchangeUseCase, SealKeyring, VerifyLog } from '@apps/hub';
import { archiveLog, verifyArchiveFile } from '@apps/hubctl';
import { type CitizenRegisteredV1, VALID_EXAMPLES } from '@lgsp/contracts';
import type { InboundMessage } from '@lgsp/messaging';
import { LOGGER } from '@lgsp/observability';
import { LeaderLeases } from '@lgsp/persistence';
import { eventRecord, eventually, query, TestStack, testSealSigningKey } from '@lgsp/testing';
import { createPublicKey, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';

/** The first instant of the month `back` months before this one, and its `YYYY-MM`. */
function monthsAgo(back: number): { at: Date; month: string } {
  const now = new Date();
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  return { at, month: at.toISOString().slice(0, 7) };
}

describe('hub: old months of the log archived to files that verify offline', () => {
  let stack: TestStack;
  let dir: string;
  let publicKeyFile: string;
  const old = monthsAgo(5);
  const kept = monthsAgo(4);
  const db = () => stack.databaseUrl('hub');
  const verifyLog = () => stack.service('hub').app.get(VerifyLog).verify();
  let offset = 0;

  /** A citizen registration whose own time is `at` (history replayed from an old topic). */
  function registeredAt(at: Date): InboundMessage {
    const data: CitizenRegisteredV1 = {
      ...(VALID_EXAMPLES['population.citizen-registered.v1'] as CitizenRegisteredV1),
      birthRegistrationId: randomUUID(),
    };
    const r = eventRecord(stack, 'population', 'population.citizen-registered.v1', data);
    const headers = { ...(r.message.headers as Record<string, string>), ce_time: at.toISOString() };
    return {
      topic: r.topic,
      partition: 0,
      offset: String(offset++),
      key: r.message.key as string,
      headers,
      value: r.message.value as Buffer,
      timestamp: String(Date.now()),
    };
  }

  /** Every entry sealed; fails, saying so, when that has not happened within 30 s. */
  async function allSealed(): Promise<void> {
    await eventually(async () => ((await verifyLog()).unsealedEntries === 0 ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 200,
      what: 'every log entry sealed',
    });
  }

  const partitionsOf = async (ids: string[]) =>
    (
      await query<{ part: string }>(
        db(),
        'SELECT DISTINCT tableoid::regclass::text AS part FROM log_entries WHERE record_id = ANY($1)',
        [ids],
      )
    ).map((r) => r.part);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lgsp-archive-'));
    publicKeyFile = join(dir, 'hub.pem');
    writeFileSync(
      publicKeyFile,
      createPublicKey(testSealSigningKey()).export({ type: 'spki', format: 'pem' }),
    );
    stack = await TestStack.start([hubService], {
      suffix: '_log_archive',
      env: { SEAL_INTERVAL_SECONDS: '1', SEAL_MAX_ENTRIES: '10' },
    });
  });

  afterAll(async () => {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes entries older than every partition into a partition made for their month', async () => {
    const day = (m: { at: Date }, d: number) => new Date(m.at.getTime() + d * 86_400_000);
    // Interleaved, so that seals cover entries of several months.
    const batch = Array.from({ length: 8 }, (_, i) => [
      registeredAt(day(old, i + 1)),
      registeredAt(day(kept, i + 1)),
      registeredAt(new Date()),
    ]).flat();
    await stack.service('hub').app.get(RecordExchangeUseCase).record(batch);
    const ids = (ms: InboundMessage[]) => ms.map((m) => m.headers.ce_id);
    expect(await partitionsOf(ids(batch.filter((_, i) => i % 3 === 0)))).toEqual([
      `log_entries_${old.month.replace('-', '_')}`,
    ]);
    expect(await partitionsOf(ids(batch.filter((_, i) => i % 3 === 1)))).toEqual([
      `log_entries_${kept.month.replace('-', '_')}`,
    ]);
    const [inDefault] = await query<{ n: number }>(
      db(),
      'SELECT count(*)::int AS n FROM log_entries_default',
    );
    expect(inDefault.n).toBe(0);
  });

  it('archives a month: the file verifies offline, the partition is gone, the log still verifies', async () => {
    await allSealed();
    const [archived, ...others] = await archiveLog({
      root: dir,
      env: { HUB_DATABASE_URL: db(), LOG_ARCHIVE_DIR: join(dir, 'archive') },
      before: kept.month,
      publicKeyFile,
    });
    expect(others).toEqual([]);
    expect(archived).toMatchObject({ month: old.month, entries: 8 });
    const file = (archived as { file: string }).file;
    expect(existsSync(file)).toBe(true);
    expect(await verifyArchiveFile(file)).toMatchObject({
      ok: true,
      month: old.month,
      checkedEntries: 8,
      uncheckedEntries: 0,
    });
    const [gone] = await query<{ t: string | null }>(db(), 'SELECT to_regclass($1)::text AS t', [
      `log_entries_${old.month.replace('-', '_')}`,
    ]);
    expect(gone.t).toBeNull();
    expect(await verifyLog()).toMatchObject({ ok: true, archivedEntries: 8 });
    expect((await verifyLog()).checkedEntries).toBeGreaterThanOrEqual(16);
  });

  it('names the first altered entry of an archive, and its line', async () => {
    const [{ file }] = await query<{ file: string }>(db(), 'SELECT file FROM log_archives');
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const n = lines.findIndex((l) => l.startsWith('{"entry"')) + 3;
    const target = JSON.parse(lines[n]) as { entry: { id: string; status: string } };
    target.entry.status = 'FAILED';
    lines[n] = JSON.stringify(target);
    const altered = join(dir, 'altered.ndjson.gz');
    writeFileSync(altered, gzipSync(`${lines.join('\n')}\n`));
    expect(await verifyArchiveFile(altered, { publicKeyFile })).toMatchObject({
      ok: false,
      firstProblem: { kind: 'ALTERED', entryId: target.entry.id, line: n + 1 },
    });
  });

  it('gives an entry of an archived month a partition of its month again', async () => {
    const late = registeredAt(new Date(old.at.getTime() + 3_600_000));
    await stack.service('hub').app.get(RecordExchangeUseCase).record([late]);
    expect(await partitionsOf([late.headers.ce_id])).toEqual([
      `log_entries_${old.month.replace('-', '_')}`,
    ]);
  });

  it('archives, as the retention leader, every month older than the retention', async () => {
    const app = stack.service('hub').app;
    // The writer now knows the oldest partition as it stands before this archive.
    await app.get(RecordExchangeUseCase).record([registeredAt(new Date())]);
    await allSealed();
    const retention = new LogRetention(
      app.get(DataSource),
      { months: 3, dir: join(dir, 'archive') },
      app.get(SealKeyring),
      app.get(LOGGER),
      app.get(LeaderLeases),
    );
    const done = await retention.archiveDue();
    expect(done).toMatchObject([
      { month: old.month, entries: 1 },
      { month: kept.month, entries: 8 },
    ]);
    expect((done[0] as { file: string }).file).toMatch(new RegExp(`log-${old.month}-2.ndjson.gz$`));
    for (const m of done) {
      expect(await verifyArchiveFile((m as { file: string }).file)).toMatchObject({ ok: true });
    }
    expect(await verifyLog()).toMatchObject({ ok: true, archivedEntries: 17 });
  });

  it('moves an entry that reached the default partition (a month dropped meanwhile) into its month', async () => {
    const late = registeredAt(new Date(kept.at.getTime() + 3_600_000));
    await stack.service('hub').app.get(RecordExchangeUseCase).record([late]);
    expect(await partitionsOf([late.headers.ce_id])).toEqual([
      `log_entries_${kept.month.replace('-', '_')}`,
    ]);
    const [inDefault] = await query<{ n: number }>(
      db(),
      'SELECT count(*)::int AS n FROM log_entries_default',
    );
    expect(inDefault.n).toBe(0);
  });
});
