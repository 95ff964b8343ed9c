import { hubService, Sealer } from '@apps/hub';
import { Metrics } from '@lgsp/observability';
import { leaseKey } from '@lgsp/persistence';
import { type RunningService, startService } from '@lgsp/platform';
import {
  eventually,
  http,
  issueKey,
  produceCitizensRegistered,
  query,
  serviceTestEnv,
  TestStack,
} from '@lgsp/testing';

type Verification = {
  ok: boolean;
  checkedSeals: number;
  checkedEntries: number;
  unsealedEntries: number;
  firstProblem?: unknown;
};

const SUFFIX = '_replicas';
const ENV = { SEAL_INTERVAL_SECONDS: '1', SEAL_MAX_ENTRIES: '10' };

/** A metric of a replica's own registry (of one task, for `lgsp_leader`). */
async function metricOf(svc: RunningService, name: string, task?: string): Promise<number> {
  const metrics = await svc.app.get(Metrics).registry.getMetricsAsJSON();
  return (
    metrics
      .find((m) => m.name === name)
      ?.values.find((v) => task === undefined || v.labels.task === task)?.value ?? 0
  );
}

/** What a replica's own metrics say of sealing: whether it leads, and the entries it sealed. */
async function sealingOf(svc: RunningService): Promise<{ leader: number; sealed: number }> {
  return {
    leader: await metricOf(svc, 'lgsp_leader', 'sealing'),
    sealed: await metricOf(svc, 'lgsp_log_entries_sealed_total'),
  };
}

/**
 * Two hubs in one test process. Alone this spec passes every time; in the full `npm test`
 * run it has twice seen the hub log nothing for 60 s once the second hub joined, for a
 * reason not yet found. The cross-process proof of the same behaviour (test/chaos/
 * replicas.e2e-spec.ts: replicas killed, the sealing lease passed on, seals verified) runs in
 * `npm test`; this one runs with LGSP_IN_PROCESS_REPLICAS=1 until that is understood.
 */
const inProcessReplicas = process.env.LGSP_IN_PROCESS_REPLICAS ? describe : describe.skip;

inProcessReplicas('hub: two replicas on one database', () => {
  let stack: TestStack;
  let first: RunningService;
  let second: RunningService;
  let auditor: Record<string, string>;
  const verify = async () =>
    (await http<Verification>('POST', `${first.url}/audit/verify`, {}, auditor)).body;
  const allSealed = (entries: number) =>
    eventually(
      async () => {
        const v = await verify();
        if (v.checkedEntries >= entries && v.unsealedEntries === 0) return v;
        // Said when the wait runs out: how far the log and its seals got.
        throw new Error(`checked ${v.checkedEntries}, unsealed ${v.unsealedEntries}`);
      },
      { timeoutMs: 60_000, what: `${entries} entries sealed` },
    );

  beforeAll(async () => {
    stack = await TestStack.start([hubService], { suffix: SUFFIX, env: ENV });
    first = stack.service('hub');
    second = await startService(hubService, serviceTestEnv('hub', ENV, SUFFIX));
    auditor = { 'x-api-key': await issueKey(first.url, 'AUDITOR') };
    // Both replicas hold some of the group's partitions: the rebalance the second one caused
    // is over before any record is produced.
    await eventually(
      async () => {
        const counts = await Promise.all(
          [first, second].map(async (s) => {
            const r = await fetch(`${s.url}/health/ready`);
            const body = (await r.json()) as { checks?: { consumer?: string } };
            const consumer = body.checks?.consumer ?? '';
            return r.ok ? Number(/^up: (\d+) partition/.exec(consumer)?.[1] ?? 0) : 0;
          }),
        );
        return counts.every((n) => n > 0) ? counts : undefined;
      },
      { timeoutMs: 60_000, what: 'both replicas assigned partitions' },
    );
  });

  afterAll(async () => {
    await second?.app.close();
    await stack?.close();
  });

  it('seals on one replica only; when its lease is cut the other seals on, and the chain is one line', async () => {
    const sealers = () => [first, second].map((s) => s.app.get(Sealer).leads);
    expect(sealers()).toEqual([true, false]);
    for (const task of ['sealing', 'delivery-deadlines', 'log-partitions']) {
      const leaders = await Promise.all(
        [first, second].map((s) => metricOf(s, 'lgsp_leader', task)),
      );
      expect({ task, leaders }).toEqual({ task, leaders: [1, 0] });
    }

    await produceCitizensRegistered(
      stack,
      Array.from({ length: 25 }, (_, i) => `0012260${String(40000 + i)}`),
    );
    expect(await allSealed(25)).toMatchObject({ ok: true });
    expect(await sealingOf(first)).toMatchObject({ leader: 1 });
    expect(await sealingOf(first).then((s) => s.sealed)).toBeGreaterThanOrEqual(25);
    expect(await sealingOf(second)).toEqual({ leader: 0, sealed: 0 });

    // The first replica's lease connection goes (its database session is ended); the
    // replica itself lives on, and must stop sealing.
    const [ns, key] = leaseKey('sealing');
    const cut = await query<{ pid: number }>(
      stack.databaseUrl('hub'),
      `SELECT pid, pg_terminate_backend(pid) FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND classid = $1::int::oid AND objid = $2::int::oid
          AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [ns, key],
    );
    expect(cut).toHaveLength(1);
    await eventually(() => Promise.resolve(sealers().join() === 'false,true' || undefined), {
      timeoutMs: 10_000,
      what: 'the second replica to lead sealing',
    });
    const sealedByFirst = (await sealingOf(first)).sealed;

    await produceCitizensRegistered(
      stack,
      Array.from({ length: 25 }, (_, i) => `0012260${String(40100 + i)}`),
    );
    expect(await allSealed(50)).toMatchObject({ ok: true });
    expect(await sealingOf(first)).toEqual({ leader: 0, sealed: sealedByFirst });
    expect(await sealingOf(second)).toMatchObject({ leader: 1 });
    expect((await sealingOf(second)).sealed).toBeGreaterThan(0);

    const [chain] = await query<{ seals: number; last: number; linked: number }>(
      stack.databaseUrl('hub'),
      `SELECT count(*)::int AS seals, max(sequence) AS last,
              count(*) FILTER (WHERE previous_seal_hash = lag_hash OR sequence = 1)::int AS linked
         FROM (SELECT sequence, previous_seal_hash,
                      lag(seal_hash) OVER (ORDER BY sequence) AS lag_hash FROM seals) s`,
    );
    expect(chain).toEqual({ seals: chain.last, last: chain.last, linked: chain.last });
  });
});
