import { hubService } from '@apps/hub';
import { populationService } from '@apps/population-adapter';
import { type BirthRegisteredV1, VALID_EXAMPLES } from '@lgsp/contracts';
import { subjectKey } from '@lgsp/messaging';
import { migrateService, type ServiceDefinition } from '@lgsp/platform';
import {
  aCitizen,
  addToRegister,
  eventually,
  freePort,
  http,
  issueKey,
  produceRaw,
  query,
  REPO_ROOT,
  Rng,
  ServiceProcess,
  serviceTestEnv,
  TEST_ADMIN_KEY,
  testRun,
} from '@lgsp/testing';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A client that is not the project's publisher (a plain Kafka producer, as kcat would be)
 * puts raw ID numbers in the record key, `ce_subject`, `ce_correlationid`, `ce_id` and
 * `ce_type`; a member system sends some to the HTTP door. The hub, and the population
 * adapter that consumes the same records, run as processes with their logs in files. At
 * the end, a `pg_dump` of the hub's database, the hub's log and its metrics hold none of
 * those numbers (nor the ID numbers in the payloads), and no service log holds those put
 * in a key, in `ce_subject`, in a correlation id or in a request to the door.
 */
const SUFFIX = '_foreign';
const services = [populationService, hubService] as ServiceDefinition[];
const ADMIN = { 'x-api-key': TEST_ADMIN_KEY };
const BIRTH = 'civil-status.birth-registered.v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Tx = { consumer: string; status: string };
type Entry = { kind: string; subjectHash: string | null; correlationId: string | null };

describe('a foreign producer cannot make the hub store an ID number', () => {
  const procs = new Map<string, ServiceProcess>();
  const envOf = (name: string) => serviceTestEnv(name, { LOG_LEVEL: 'debug' }, SUFFIX);
  const hubEnv = envOf('hub');
  const logDir = () => join(REPO_ROOT, '.local/test-logs', `${testRun().runId}${SUFFIX}`);
  const hub = (path: string) => `${procs.get('hub')!.url}${path}`;
  const get = async <T>(path: string) => (await http<T>('GET', hub(path), undefined, ADMIN)).body;
  const hashOf = (subject: string) => subjectKey(hubEnv.SUBJECT_HASH_KEY!, subject);

  const rng = new Rng(Date.now() % 2 ** 31);
  const anId = () => aCitizen(rng).personalId;
  /** Where ID numbers were put; `everywhere` must reach no service log either. */
  const placed = { everywhere: [] as string[], hubOnly: [] as string[] };
  const put = (where: keyof typeof placed) => {
    const id = anId();
    placed[where].push(id);
    return id;
  };

  beforeAll(async () => {
    for (const def of services) {
      if (!existsSync(join(REPO_ROOT, 'dist/apps', def.name, 'src/main.js')))
        throw new Error('This spec runs the built services: run `npm run build` first.');
    }
    for (const def of services) {
      const env = envOf(def.name);
      await migrateService(def, env);
      procs.set(def.name, new ServiceProcess(def.name, env, await freePort(), logDir()));
    }
    for (const p of procs.values()) await p.start();
  });

  afterAll(async () => {
    for (const p of procs.values()) await p.stop();
  });

  /** A record of `birth` as a foreign client writes it: every header by hand. */
  function foreignBirth(birth: object, headers: Record<string, string> = {}) {
    const id = randomUUID();
    const message = {
      key: put('everywhere'),
      value: Buffer.from(JSON.stringify(birth)),
      headers: {
        ce_specversion: '1.0',
        ce_id: id,
        ce_source: '/lgsp/01/civil-status',
        ce_type: `vn.lgsp.${BIRTH}`,
        ce_time: new Date().toISOString(),
        ce_correlationid: put('everywhere'),
        ce_subject: put('everywhere'),
        'content-type': 'application/json',
        ...headers,
      },
    };
    return { id, message };
  }

  function aBirth(parents: { personalId: string; fullName: string }[]): BirthRegisteredV1 {
    const example = VALID_EXAMPLES[BIRTH] as BirthRegisteredV1;
    placed.hubOnly.push(...parents.map((p) => p.personalId));
    const [mother, father] = parents.map(({ personalId, fullName }) => ({ personalId, fullName }));
    return { ...example, registrationId: randomUUID(), mother, father };
  }

  it('logs, answers audits and keeps cases with values it computed itself', async () => {
    const parents = [aCitizen(rng, 'FEMALE'), aCitizen(rng, 'MALE')];
    await addToRegister(envOf('population-adapter').DATABASE_URL!, parents);
    const registered = aBirth(parents);
    const known = foreignBirth(registered);
    const orphan = foreignBirth(aBirth([aCitizen(rng, 'FEMALE'), aCitizen(rng, 'MALE')]));
    const unreadable = foreignBirth({}, { ce_id: put('hubOnly') });
    unreadable.message.value = Buffer.from('not json');
    const unknownType = foreignBirth(aBirth([aCitizen(rng, 'FEMALE'), aCitizen(rng, 'MALE')]), {
      ce_type: `vn.lgsp.civil-status.birth-${put('hubOnly')}.v1`,
    });
    const topic = `${hubEnv.KAFKA_TOPIC_PREFIX}lgsp.${BIRTH}`;
    await produceRaw(
      topic,
      [known, orphan, unreadable, unknownType].map((r) => r.message),
    );

    // The door: a refused payload, an unknown type named with an ID, an accepted event.
    const land = { 'x-api-key': await issueKey(hub(''), 'SYSTEM', 'land') };
    const refusedCase = `case-${put('everywhere')}`;
    const door = (type: string, body: object, correlationId: string) =>
      http<{ eventId: string; correlationId: string }>('POST', hub(`/events/${type}`), body, {
        ...land,
        'x-correlation-id': correlationId,
      });
    const ownership = VALID_EXAMPLES['land.ownership-registered.v1'] as {
      owners: { personalId: string }[];
    };
    placed.hubOnly.push(...ownership.owners.map((o) => o.personalId));
    expect((await door('land.ownership-registered.v1', {}, refusedCase)).status).toBe(400);
    const unknown = await door(`civil-status.birth-${put('everywhere')}.v1`, {}, refusedCase);
    expect(unknown.status).toBe(404);
    const acceptedCase = `case-${put('everywhere')}`;
    const accepted = await door('land.ownership-registered.v1', ownership, acceptedCase);
    expect(accepted.status).toBe(202);
    expect(accepted.body.correlationId).toMatch(UUID);

    const settled = (eventId: string, status: string) =>
      eventually(
        async () => {
          const txs = await get<Tx[]>(`/transactions/${eventId}`);
          return txs[0]?.status === status ? txs : undefined;
        },
        { what: `${eventId} ${status}`, timeoutMs: 60_000 },
      );
    await settled(known.id, 'SUCCESS');
    await settled(orphan.id, 'FAILED');
    await settled(accepted.body.eventId, 'SUCCESS');
    await eventually(
      async () => {
        const refused = await get<Tx[]>(`/transactions?consumer=population&status=REJECTED`);
        const atDoor = await get<Tx[]>(`/transactions?correlationId=${refusedCase}`);
        return refused.length >= 2 && atDoor.length === 2 ? true : undefined;
      },
      { what: 'the refusals of the consumer and of the door', timeoutMs: 60_000 },
    );

    // The birth and its receipt carry the hub's hash of the contract's subject.
    const entries = await get<Entry[]>(`/log?eventId=${known.id}`);
    expect(entries.map((e) => e.kind).sort()).toEqual(['PUBLISHED', 'RECEIPT']);
    for (const e of entries) {
      expect(e.subjectHash).toBe(hashOf(`birth:${registered.registrationId}`));
      expect(e.correlationId).toMatch(UUID);
    }
    // The case holds together under the id the hub derived, and is found by the one given.
    const correlationId = known.message.headers.ce_correlationid;
    const story = await get<{ steps: { eventType: string }[] }>(`/cases/${correlationId}`);
    expect(story.steps.map((s) => s.eventType)).toEqual([
      BIRTH,
      'population.citizen-registered.v1',
    ]);
    // An auditor finds the newborn by the ID number the population register gave.
    const [{ personal_id: child }] = await query<{ personal_id: string }>(
      envOf('population-adapter').DATABASE_URL!,
      'SELECT personal_id FROM citizens WHERE birth_registration_id = $1',
      [registered.registrationId],
    );
    placed.hubOnly.push(child);
    const auditor = { 'x-api-key': await issueKey(hub(''), 'AUDITOR') };
    const audit = await http<{ items: { event_type: string; subject_hash: string }[] }>(
      'GET',
      hub(`/audit/log?citizenId=${child}`),
      undefined,
      auditor,
    );
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        event_type: 'population.citizen-registered.v1',
        subject_hash: hashOf(child),
      }),
    ]);

    const metrics = await (await fetch(hub('/metrics'))).text();
    expect(metrics).toContain('lgsp_log_entries_total');
    for (const p of procs.values()) await p.stop();
    const dump = execFileSync('pg_dump', ['--no-owner', hubEnv.DATABASE_URL!], {
      maxBuffer: 512 * 1024 * 1024,
    }).toString();
    expect(dump).toContain(hashOf(`birth:${registered.registrationId}`));
    const hubLog = readFileSync(join(logDir(), 'hub.log'), 'utf8');
    const populationLog = readFileSync(join(logDir(), 'population-adapter.log'), 'utf8');
    expect(hubLog).toContain('hub listening');
    const all = [...placed.everywhere, ...placed.hubOnly];
    expect(all.filter((id) => dump.includes(id))).toEqual([]);
    expect(all.filter((id) => hubLog.includes(id))).toEqual([]);
    expect(all.filter((id) => metrics.includes(id))).toEqual([]);
    expect(placed.everywhere.filter((id) => populationLog.includes(id))).toEqual([]);
  });
});
