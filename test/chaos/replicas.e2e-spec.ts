import { civilStatusService } from '@apps/civil-status';
import { hubService } from '@apps/hub';
import { insuranceService } from '@apps/insurance';
import { populationService } from '@apps/population-adapter';
import { migrateService, type ServiceDefinition } from '@lgsp/platform';
import {
  aBirthOfRegisteredParents,
  addToRegister,
  eventually,
  freePort,
  http,
  issueKey,
  query,
  REPO_ROOT,
  Rng,
  ServiceProcess,
  serviceTestEnv,
  systemOfApp,
  testKafka,
  testRun,
} from '@lgsp/testing';
import { type Admin, AssignerProtocol } from 'kafkajs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Two replicas each of population-adapter, insurance and hub (civil-status once), every
 * replica its own process and port, sharing its service's database and consumer group.
 * While a paced stream of birth registrations flows, one replica of each of the three is
 * killed (SIGKILL) at the same moment: for the hub, the one leading sealing. The survivors
 * must take every partition over and the hub's periodic tasks must move to the surviving
 * replica; at the end every birth has exactly one citizen and one card, every transaction
 * of the chain is SUCCESS, no event was applied twice, and the seal chain verifies.
 * The test prints how long each rebalance and each lease takeover took.
 *
 * `npm test` runs a short stream; `npm run chaos` a long one (LGSP_CHAOS_BIRTHS,
 * LGSP_CHAOS_RATE). A killed replica's partitions are reassigned once its session has
 * timed out: LGSP_CHAOS_SESSION_TIMEOUT_MS (6000 here, the least the services accept;
 * their default is 10000).
 */
const BIRTHS = Number(process.env.LGSP_CHAOS_BIRTHS ?? 300);
const SESSION_TIMEOUT_MS = process.env.LGSP_CHAOS_SESSION_TIMEOUT_MS ?? '6000';
const SUFFIX = '_replicas';
const REPLICATED = [populationService, insuranceService, hubService] as ServiceDefinition[];
const services = [civilStatusService, ...REPLICATED];
/** The hub's periodic tasks that run on one replica at a time (docs/decisions/0017). */
const LEASED_TASKS = ['sealing', 'delivery-deadlines', 'log-partitions'];
/** The consumers of the birth chain; each applies one event per birth. */
const CHAIN = [
  { db: 'population-adapter', consumer: 'population', service: 'birth-registration' },
  { db: 'civil-status', consumer: 'civil-status', service: 'citizen-registration' },
  { db: 'insurance', consumer: 'insurance', service: 'citizen-registration' },
];

type Probe = { status: string; checks: Record<string, string> };
type Verification = { ok: boolean; checkedEntries: number; unsealedEntries: number };

describe(`replicas: ${BIRTHS} births while one replica of each service is killed`, () => {
  /** Replicas by service: replica 0 keeps the service's name, replica 1 is `<service>-1`. */
  const replicas = new Map<string, ServiceProcess[]>();
  const db = (name: string) => serviceTestEnv(name, {}, SUFFIX).DATABASE_URL!;
  const prefix = serviceTestEnv('hub', {}, SUFFIX).KAFKA_TOPIC_PREFIX!;
  const say = (what: string) => process.stdout.write(`replicas: ${what}\n`);
  let admin: Admin;

  /** Partitions the replica's consumer says it holds (its readiness probe), if it is ready. */
  const assignedTo = async (p: ServiceProcess): Promise<number | undefined> => {
    const res = await http<Probe>('GET', `${p.url}/health/ready`).catch(() => undefined);
    const m = /^up: (\d+) partitions? assigned$/.exec(
      res?.status === 200 ? res.body.checks.consumer : '',
    );
    return m ? Number(m[1]) : undefined;
  };
  /** The replica's `lgsp_leader` gauge for a task. */
  const leads = async (p: ServiceProcess, task: string): Promise<boolean> => {
    const text = await fetch(`${p.url}/metrics`).then((r) => r.text());
    return new RegExp(`lgsp_leader\\{[^}]*task="${task}"[^}]*\\} 1\\b`).test(text);
  };
  /** The consumer group as the broker sees it: its state and the partitions of each member. */
  const groupOf = async (app: string) => {
    const {
      groups: [g],
    } = await admin.describeGroups([`${prefix}lgsp.${systemOfApp(app)}`]);
    const members = g.members.map((m) =>
      Object.values(
        AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {},
      ).reduce((n, ps) => n + ps.length, 0),
    );
    return { state: g.state, members, partitions: members.reduce((a, b) => a + b, 0) };
  };

  beforeAll(async () => {
    for (const def of services) {
      if (!existsSync(join(REPO_ROOT, 'dist/apps', def.name, 'src/main.js'))) {
        throw new Error(
          'The replicas test runs the built services: run `npm run build` first (npm test does).',
        );
      }
    }
    admin = testKafka().admin();
    await admin.connect();
    const logDir = join(REPO_ROOT, '.local/test-logs', `${testRun().runId}${SUFFIX}`);
    for (const def of services) {
      const env = serviceTestEnv(
        def.name,
        {
          KAFKA_SESSION_TIMEOUT_MS: SESSION_TIMEOUT_MS,
          SEAL_INTERVAL_SECONDS: '1',
          LOG_LEVEL: 'info',
        },
        SUFFIX,
      );
      await migrateService(def, env);
      const count = REPLICATED.includes(def) ? 2 : 1;
      const procs: ServiceProcess[] = [];
      for (let i = 0; i < count; i++) {
        const name = i === 0 ? def.name : `${def.name}-${i}`;
        procs.push(new ServiceProcess(def.name, env, await freePort(), join(logDir, name)));
      }
      replicas.set(def.name, procs);
    }
    // Every replica 0 first, so that it is the one that takes the leases, then the others.
    await Promise.all([...replicas.values()].map((ps) => ps[0].start()));
    await Promise.all([...replicas.values()].flatMap((ps) => ps.slice(1).map((p) => p.start())));
  });

  afterAll(async () => {
    for (const ps of replicas.values()) for (const p of ps) await p.stop();
    await admin?.disconnect();
  });

  it('loses nothing, applies nothing twice, and the survivors take over', async () => {
    const civilStatus = replicas.get('civil-status')![0];
    // Both replicas of each service in their group, each with its share of the partitions.
    const partitions = new Map<string, number>();
    for (const def of REPLICATED) {
      const [a, b] = replicas.get(def.name)!;
      partitions.set(
        def.name,
        await eventually(
          async () => {
            const group = await groupOf(def.name);
            const held = [await assignedTo(a), await assignedTo(b)];
            return group.state === 'Stable' &&
              group.members.length === 2 &&
              group.members.every((n) => n > 0) &&
              held[0] !== undefined &&
              held[1] !== undefined &&
              held[0] + held[1] === group.partitions
              ? group.partitions
              : undefined;
          },
          {
            timeoutMs: 60_000,
            intervalMs: 250,
            what: `${def.name}: two members sharing the partitions`,
          },
        ),
      );
    }
    const hubs = replicas.get('hub')!;
    const sealer = await eventually(
      async () => {
        const leading = [];
        for (const h of hubs) if (await leads(h, 'sealing')) leading.push(h);
        return leading.length === 1 ? leading[0] : undefined;
      },
      { timeoutMs: 30_000, what: 'one hub replica leading sealing' },
    );

    // The victims: replica 0 of population-adapter and insurance, the sealing hub.
    const victims = new Map<string, ServiceProcess>([
      ['population-adapter', replicas.get('population-adapter')![0]],
      ['insurance', replicas.get('insurance')![0]],
      ['hub', sealer],
    ]);
    const survivorOf = (name: string) => replicas.get(name)!.find((p) => p !== victims.get(name))!;
    const rebalanceMs = new Map<string, number>();
    const takeoverMs = new Map<string, number>();
    const killAll = async () => {
      const killedAt = Date.now();
      await Promise.all([...victims.values()].map((p) => p.kill()));
      say(`SIGKILL ${[...victims.keys()].join(', ')} (${Date.now() - killedAt} ms)`);
      const rebalanced = REPLICATED.map(async ({ name }) => {
        const total = partitions.get(name)!;
        await eventually(
          async () => ((await assignedTo(survivorOf(name))) === total ? true : undefined),
          {
            timeoutMs: 60_000,
            intervalMs: 100,
            what: `${name}: the survivor to hold all ${total} partitions`,
          },
        );
        rebalanceMs.set(name, Date.now() - killedAt);
      });
      const takenOver = LEASED_TASKS.map(async (task) => {
        await eventually(async () => ((await leads(survivorOf('hub'), task)) ? true : undefined), {
          timeoutMs: 30_000,
          intervalMs: 100,
          what: `the surviving hub to lead ${task}`,
        });
        takeoverMs.set(task, Date.now() - killedAt);
      });
      await Promise.all([...rebalanced, ...takenOver]);
    };

    const rng = new Rng(12);
    const generated = Array.from({ length: BIRTHS }, () => aBirthOfRegisteredParents(rng));
    await addToRegister(
      db('population-adapter'),
      generated.flatMap((b) => b.parents),
    );
    const bodies = generated.map((b) => b.birth);
    const registered: string[] = [];
    // Paced so that the stream spans the kill and the rebalance (about 20 s in all).
    const perSecond = Number(process.env.LGSP_CHAOS_RATE ?? Math.max(15, BIRTHS / 20));
    const killAt = Math.floor(BIRTHS * 0.3);
    let chaos: Promise<void> = Promise.resolve();
    const t0 = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < BIRTHS) {
        const i = next++;
        const due = t0 + (i * 1000) / perSecond - Date.now();
        if (due > 0) await new Promise((r) => setTimeout(r, due));
        if (i === killAt) chaos = killAll();
        const res = await http<{ registrationId: string }>(
          'POST',
          `${civilStatus.url}/births`,
          bodies[i],
        );
        if (res.status !== 201)
          throw new Error(`birth ${i}: ${res.status} ${JSON.stringify(res.body)}`);
        registered.push(res.body.registrationId);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const sent = Date.now();
    say(`${BIRTHS} births sent in ${((sent - t0) / 1000).toFixed(1)} s`);
    await chaos;
    for (const [name, ms] of rebalanceMs) say(`rebalance of ${name}: ${ms} ms after the kill`);
    for (const [task, ms] of takeoverMs) say(`lease ${task} taken over: ${ms} ms after the kill`);

    // Every transaction of the chain closed, and SUCCESS.
    const statuses = async () =>
      Object.fromEntries(
        (
          await query<{ status: string; n: number }>(
            db('hub'),
            'SELECT status, count(*)::int AS n FROM transactions GROUP BY status',
          )
        ).map((r) => [r.status, r.n]),
      );
    await eventually(
      async () => {
        const s = await statuses();
        return s.SUCCESS === CHAIN.length * BIRTHS ? true : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1000, what: `all ${BIRTHS} births through the chain` },
    );
    say(`all through the chain ${((Date.now() - sent) / 1000).toFixed(1)} s after the last birth`);
    expect(await statuses()).toEqual({ SUCCESS: CHAIN.length * BIRTHS });
    const perService = await query<{ service_code: string; consumer: string; n: number }>(
      db('hub'),
      'SELECT service_code, consumer, count(*)::int AS n FROM transactions GROUP BY 1, 2 ORDER BY 1, 2',
    );
    expect(perService).toEqual(
      [...CHAIN]
        .sort((a, b) => `${a.service}/${a.consumer}`.localeCompare(`${b.service}/${b.consumer}`))
        .map((c) => ({ service_code: c.service, consumer: c.consumer, n: BIRTHS })),
    );

    // Each consumer handled each event once.
    for (const c of CHAIN) {
      const [handled] = await query<{ n: number; success: number }>(
        db(c.db),
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE outcome = 'SUCCESS')::int AS success
           FROM processed_events WHERE consumer = $1`,
        [c.consumer],
      );
      expect({ consumer: c.consumer, ...handled }).toEqual({
        consumer: c.consumer,
        n: BIRTHS,
        success: BIRTHS,
      });
    }
    // One citizen per birth; one card per newborn; the personal ID on every birth record.
    const [citizens] = await query<{ n: number; births: number }>(
      db('population-adapter'),
      `SELECT count(*)::int AS n, count(DISTINCT birth_registration_id)::int AS births
         FROM citizens WHERE birth_registration_id = ANY($1)`,
      [registered],
    );
    const newborns = (
      await query<{ id: string }>(
        db('civil-status'),
        'SELECT child_personal_id AS id FROM births WHERE id = ANY($1) AND child_personal_id IS NOT NULL',
        [registered],
      )
    ).map((r) => r.id);
    const [cards] = await query<{ n: number; holders: number }>(
      db('insurance'),
      'SELECT count(*)::int AS n, count(DISTINCT personal_id)::int AS holders FROM cards WHERE personal_id = ANY($1)',
      [newborns],
    );
    // A second application would publish a second event (a new id): each type, one per birth.
    const published = await query<{ event_type: string; events: number }>(
      db('hub'),
      `SELECT event_type, count(DISTINCT event_id)::int AS events FROM log_entries
        WHERE kind = 'PUBLISHED' GROUP BY 1 ORDER BY 1`,
    );
    const [receipts] = await query<{ entries: number; receipts: number }>(
      db('hub'),
      `SELECT count(*)::int AS entries, count(DISTINCT (event_id, consumer))::int AS receipts
         FROM log_entries WHERE kind = 'RECEIPT'`,
    );
    say(
      `births=${BIRTHS} citizens=${citizens.n} cards=${cards.n} personal IDs attached=${newborns.length} ` +
        `receipts=${receipts.receipts} (log entries ${receipts.entries}: ` +
        `${receipts.entries - receipts.receipts} sent again on the wire)`,
    );
    expect(registered).toHaveLength(BIRTHS);
    expect(citizens).toEqual({ n: BIRTHS, births: BIRTHS });
    expect(newborns).toHaveLength(BIRTHS);
    expect(cards).toEqual({ n: BIRTHS, holders: BIRTHS });
    expect(published).toEqual(
      [
        'civil-status.birth-registered.v1',
        'insurance.card-issued.v1',
        'population.citizen-registered.v1',
      ].map((event_type) => ({ event_type, events: BIRTHS })),
    );
    expect(receipts.receipts).toBe(CHAIN.length * BIRTHS);

    // The survivors hold their groups alone; the victims died of the kill.
    for (const def of REPLICATED) {
      expect(victims.get(def.name)!.exited?.signal).toBe('SIGKILL');
      expect(await groupOf(def.name)).toEqual({
        state: 'Stable',
        members: [partitions.get(def.name)],
        partitions: partitions.get(def.name),
      });
    }
    // Bounds with room for a busy machine: a rebalance follows the session timeout, a lease
    // passes within a round or two (2 s each).
    expect([...rebalanceMs.keys()].sort()).toEqual(REPLICATED.map((d) => d.name).sort());
    for (const ms of rebalanceMs.values())
      expect(ms).toBeLessThan(Number(SESSION_TIMEOUT_MS) + 15_000);
    expect([...takeoverMs.keys()].sort()).toEqual([...LEASED_TASKS].sort());
    for (const ms of takeoverMs.values()) expect(ms).toBeLessThan(10_000);

    // The seals verify, over every entry, and the chain is one line across the handover.
    const hub = survivorOf('hub');
    const auditor = { 'x-api-key': await issueKey(hub.url, 'AUDITOR') };
    const [{ entries }] = await query<{ entries: number }>(
      db('hub'),
      'SELECT count(*)::int AS entries FROM log_entries',
    );
    const verified = await eventually(
      async () => {
        const v = (await http<Verification>('POST', `${hub.url}/audit/verify`, {}, auditor)).body;
        return v.checkedEntries >= entries && v.unsealedEntries === 0 ? v : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000, what: `all ${entries} entries sealed` },
    );
    expect(verified).toMatchObject({ ok: true, unsealedEntries: 0 });
    const [chain] = await query<{ seals: number; last: number; linked: number }>(
      db('hub'),
      `SELECT count(*)::int AS seals, max(sequence)::int AS last,
              count(*) FILTER (WHERE previous_seal_hash = lag_hash OR sequence = 1)::int AS linked
         FROM (SELECT sequence, previous_seal_hash,
                      lag(seal_hash) OVER (ORDER BY sequence) AS lag_hash FROM seals) s`,
    );
    expect(chain).toEqual({ seals: chain.last, last: chain.last, linked: chain.last });
    say(
      `seals: ${chain.seals} in one chain over ${verified.checkedEntries} entries; ` +
        `session timeout ${SESSION_TIMEOUT_MS} ms`,
    );
  }, 300_000); // start-up, sending (~20 s) and the chain's own deadline (180 s) fit inside
});
