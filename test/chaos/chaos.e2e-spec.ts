import { civilStatusService } from '@apps/civil-status';
import { hubService } from '@apps/hub';
import { populationService } from '@apps/population-adapter';
import { migrateService, type ServiceDefinition } from '@lgsp/platform';
import {
  aBirthOfRegisteredParents,
  addToRegister,
  eventually,
  freePort,
  http,
  query,
  REPO_ROOT,
  Rng,
  RUN_ENV,
  ServiceProcess,
  serviceTestEnv,
  testRun,
} from '@lgsp/testing';
import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * While a stream of birth registrations flows, population-adapter and hub are each killed
 * (SIGKILL) and restarted, the broker is restarted, and population-adapter is stopped
 * (SIGTERM) and restarted. At the end every registration must have produced exactly one
 * citizen, and every transaction must be SUCCESS, once. `npm test` runs a short stream;
 * `npm run chaos` a long one (LGSP_CHAOS_BIRTHS).
 */
const BIRTHS = Number(process.env.LGSP_CHAOS_BIRTHS ?? 300);
const SUFFIX = '_chaos';
const services = [civilStatusService, populationService, hubService] as ServiceDefinition[];

describe(`chaos: ${BIRTHS} births through kills and a broker restart`, () => {
  const procs = new Map<string, ServiceProcess>();
  const proc = (name: string) => procs.get(name)!;
  const db = (name: string) => serviceTestEnv(name, {}, SUFFIX).DATABASE_URL!;

  beforeAll(async () => {
    for (const def of services) {
      if (!existsSync(join(REPO_ROOT, 'dist/apps', def.name, 'src/main.js'))) {
        throw new Error(
          'The chaos test runs the built services: run `npm run build` first (npm test does).',
        );
      }
    }
    if (!process.env[RUN_ENV.restartKafka]) {
      throw new Error(
        'The chaos test restarts the broker: run it on the local broker or Testcontainers, not KAFKA_BROKERS.',
      );
    }
    const logDir = join(REPO_ROOT, '.local/test-logs', `${testRun().runId}${SUFFIX}`);
    for (const def of services) {
      const env = serviceTestEnv(
        def.name,
        { KAFKA_SESSION_TIMEOUT_MS: '6000', LOG_LEVEL: 'info' },
        SUFFIX,
      );
      await migrateService(def, env);
      procs.set(def.name, new ServiceProcess(def.name, env, await freePort(), logDir));
    }
    for (const p of procs.values()) await p.start();
  });

  afterAll(async () => {
    for (const p of procs.values()) await p.stop();
  });

  it('loses nothing and applies nothing twice', async () => {
    const registered: string[] = [];
    const stopTimes: number[] = [];
    const say = (what: string) => process.stdout.write(`chaos: ${what}\n`);
    const restartAfter = async (name: string, how: 'kill' | 'stop') => {
      say(`${how === 'kill' ? 'SIGKILL' : 'SIGTERM'} ${name}`);
      if (how === 'kill') await proc(name).kill();
      else stopTimes.push(await proc(name).stop());
      await proc(name).start();
      say(`${name} is back`);
    };
    // Not execSync: a blocked event loop would leave the sockets the services closed as idle
    // meanwhile in the client's keep-alive pool, and the next births would be sent on them.
    const restartBroker = async () => {
      say('restarting the broker');
      await promisify(exec)(process.env[RUN_ENV.restartKafka]!);
      say('the broker is back');
    };
    const at = (fraction: number) => Math.floor(BIRTHS * fraction);
    const steps = new Map<number, () => Promise<void>>([
      [at(0.2), () => restartAfter('population-adapter', 'kill')],
      [at(0.4), () => restartAfter('hub', 'kill')],
      [at(0.6), restartBroker],
      [at(0.8), () => restartAfter('population-adapter', 'stop')],
    ]);
    // Chaos steps run one after another, while registrations keep flowing.
    let chaos: Promise<void> = Promise.resolve();
    const rng = new Rng(7);
    const generated = Array.from({ length: BIRTHS }, () => aBirthOfRegisteredParents(rng));
    await addToRegister(
      db('population-adapter'),
      generated.flatMap((b) => b.parents),
    );
    const bodies = generated.map((b) => b.birth);
    // Paced so that the stream spans the chaos (about 20 s in all).
    const perSecond = Number(process.env.LGSP_CHAOS_RATE ?? Math.max(15, BIRTHS / 20));
    const t0 = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < BIRTHS) {
        const i = next++;
        const due = t0 + (i * 1000) / perSecond - Date.now();
        if (due > 0) await new Promise((r) => setTimeout(r, due));
        const step = steps.get(i);
        if (step) chaos = chaos.then(step);
        const res = await http<{ registrationId: string }>(
          'POST',
          `${proc('civil-status').url}/births`,
          bodies[i],
        );
        if (res.status !== 201)
          throw new Error(`birth ${i}: ${res.status} ${JSON.stringify(res.body)}`);
        registered.push(res.body.registrationId);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await chaos;
    expect(stopTimes).toHaveLength(1);
    expect(stopTimes[0]).toBeLessThan(10_000);

    const done = async (service: string, consumer: string) => {
      const [row] = await query<{ success: string; other: string }>(
        db('hub'),
        `SELECT count(*) FILTER (WHERE status = 'SUCCESS') AS success, count(*) FILTER (WHERE status <> 'SUCCESS') AS other
           FROM transactions WHERE service_code = $1 AND consumer = $2`,
        [service, consumer],
      );
      return { success: Number(row.success), other: Number(row.other) };
    };
    const sent = Date.now();
    await eventually(
      async () => {
        const births = await done('birth-registration', 'population');
        const chained = await done('citizen-registration', 'civil-status');
        return births.success === BIRTHS && chained.success === BIRTHS ? true : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1000, what: `all ${BIRTHS} births through the chain` },
    );
    say(`all through the chain ${((Date.now() - sent) / 1000).toFixed(1)} s after the last birth`);

    const [citizens] = await query<{ n: string; distinct_births: string }>(
      db('population-adapter'),
      'SELECT count(*) AS n, count(DISTINCT birth_registration_id) AS distinct_births FROM citizens WHERE birth_registration_id = ANY($1)',
      [registered],
    );
    const [attached] = await query<{ n: string }>(
      db('civil-status'),
      'SELECT count(*) AS n FROM births WHERE id = ANY($1) AND child_personal_id IS NOT NULL',
      [registered],
    );
    const [receipts] = await query<{ transactions: string; receipts: string }>(
      db('hub'),
      `SELECT count(DISTINCT (event_id, consumer)) AS transactions, count(*) AS receipts
         FROM log_entries WHERE kind = 'RECEIPT' AND event_type = 'civil-status.birth-registered.v1'`,
    );
    const births = await done('birth-registration', 'population');
    const lost = BIRTHS - Number(citizens.n);
    const twice = Number(citizens.n) - Number(citizens.distinct_births);
    process.stdout.write(
      `\nchaos: births=${BIRTHS} citizens=${citizens.n} personal IDs attached=${attached.n} ` +
        `transactions SUCCESS=${births.success} other=${births.other} receipts logged=${receipts.receipts} ` +
        `lost=${lost} applied twice=${twice} SIGTERM exit took ${stopTimes[0]} ms\n`,
    );
    expect(registered).toHaveLength(BIRTHS);
    expect(Number(citizens.n)).toBe(BIRTHS);
    expect(twice).toBe(0);
    expect(Number(attached.n)).toBe(BIRTHS);
    expect(births).toEqual({ success: BIRTHS, other: 0 });
    expect(receipts).toEqual({ transactions: String(BIRTHS), receipts: String(BIRTHS) });
    expect(await http('GET', `${proc('hub').url}/health`)).toMatchObject({ status: 200 });
  }, 300_000); // sending (~20 s) and the chain's own deadline (180 s) fit inside
});
