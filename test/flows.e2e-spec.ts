import { civilStatusService } from '@apps/civil-status';
import { type HubConfig, hubService } from '@apps/hub';
import { childCardEnd, insuranceService } from '@apps/insurance';
import { landService } from '@apps/land';
import { populationService } from '@apps/population-adapter';
import {
  type PopulationSimulator,
  startPopulationSimulator,
} from '@apps/population-registry-simulator';
import { parseBhytCardNumber } from '@lgsp/contracts';
import type { ServiceDefinition } from '@lgsp/platform';
import {
  aBirthRegistration,
  aCitizen,
  eventually,
  http,
  issueKey,
  query,
  Rng,
  TestStack,
} from '@lgsp/testing';

type Case = {
  status: string;
  stoppedAt?: { consumer: string; errorCode: string };
  steps: { eventType: string; deliveries: { consumer: string; status: string }[] }[];
};

/**
 * Run once with each population registry: the reference register in PostgreSQL, and the
 * HTTP client of the national population API with the simulator behind it.
 */
describe.each(['postgres', 'http'] as const)(
  'the interlinked chains and cross-sector flows, end to end (POPULATION_REGISTRY=%s)',
  (registry) => {
    let stack: TestStack;
    let simulator: PopulationSimulator | undefined;
    let auditor: Record<string, string>;
    const rng = new Rng(5);
    const url = (service: string, path: string) => `${stack.url(service)}${path}`;
    const get = <T>(service: string, path: string) => http<T>('GET', url(service, path));
    const post = <T>(
      service: string,
      path: string,
      body: unknown,
      headers: Record<string, string> = {},
    ) => http<T>('POST', url(service, path), body, headers);

    /** Enters a citizen into whichever register backs the population adapter. */
    async function enter(c: ReturnType<typeof aCitizen>) {
      if (simulator) simulator.seed([c]);
      else expect((await post('population-adapter', '/citizens', c)).status).toBe(201);
    }

    /** A citizen in the population register (and, when asked, insured). */
    async function citizen(
      opts: { sex?: 'MALE' | 'FEMALE'; pensioner?: boolean; card?: boolean } = {},
    ) {
      const c = aCitizen(rng, opts.sex);
      await enter(c);
      if (opts.pensioner !== undefined || opts.card) {
        const p = {
          personalId: c.personalId,
          fullName: c.fullName,
          dateOfBirth: c.dateOfBirth,
          isPensioner: !!opts.pensioner,
        };
        expect((await post('insurance', '/participants', p)).status).toBe(201);
      }
      if (opts.card) {
        const card = {
          personalId: c.personalId,
          beneficiaryGroup: 'HT',
          benefitLevel: 3,
          validFrom: '2026-01-01',
          validTo: '2026-12-31',
        };
        expect((await post('insurance', '/cards', card)).status).toBe(201);
      }
      return c;
    }

    const caseOf = (correlationId: string, until: (c: Case) => boolean) =>
      eventually(
        async () => {
          const r = await http<Case>(
            'GET',
            url('hub', `/cases/${correlationId}`),
            undefined,
            auditor,
          );
          return r.status === 200 && until(r.body) ? r.body : undefined;
        },
        { what: `case ${correlationId}`, timeoutMs: 30_000 },
      );

    beforeAll(async () => {
      if (registry === 'http') simulator = await startPopulationSimulator();
      stack = await TestStack.start(
        [
          civilStatusService,
          populationService,
          insuranceService,
          landService,
          hubService,
        ] as ServiceDefinition[],
        {
          suffix: `_flows_${registry}`,
          env: simulator
            ? { POPULATION_REGISTRY: 'http', POPULATION_REGISTRY_URL: simulator.url }
            : {},
        },
      );
      auditor = { 'x-api-key': await issueKey(stack.url('hub'), 'AUDITOR') };
    });

    afterAll(async () => {
      await stack.close();
      await simulator?.close();
    });

    it('birth: personal ID, residence with a parent, a free child card, the ID on the birth record', async () => {
      const mother = await citizen({ sex: 'FEMALE' });
      const father = await citizen({ sex: 'MALE' });
      const birth = aBirthRegistration(rng, { mother });
      birth.father = { personalId: father.personalId, fullName: father.fullName };
      const res = await post<{ registrationId: string; correlationId: string }>(
        'civil-status',
        '/births',
        birth,
        {
          'x-correlation-id': 'case-flows-birth',
        },
      );
      expect(res.status).toBe(201);

      const done = await caseOf(
        'case-flows-birth',
        (c) => c.status === 'COMPLETE' && c.steps.length === 3,
      );
      expect(done.steps.map((s) => s.eventType)).toEqual([
        'civil-status.birth-registered.v1',
        'population.citizen-registered.v1',
        'insurance.card-issued.v1',
      ]);
      expect(done.steps[1].deliveries.map((d) => [d.consumer, d.status])).toEqual([
        ['civil-status', 'SUCCESS'],
        ['insurance', 'SUCCESS'],
      ]);

      const record = await get<{ childPersonalId: string }>(
        'civil-status',
        `/births/${res.body.registrationId}`,
      );
      const child = await get<{ permanentAddress: string; dateOfBirth: string }>(
        'population-adapter',
        `/citizens/${record.body.childPersonalId}`,
      );
      expect(child.body.permanentAddress).toBe(mother.permanentAddress);
      const cards = await get<{
        items: {
          cardNumber: string;
          validFrom: string;
          validTo: string;
          beneficiaryGroup: string;
        }[];
      }>('insurance', `/cards?personalId=${record.body.childPersonalId}`);
      const [card] = cards.body.items;
      expect(parseBhytCardNumber(card.cardNumber)).toMatchObject({
        group: 'TE',
        benefitLevel: 1,
        provinceCode: '01',
      });
      expect(card.validFrom).toBe(birth.child.dateOfBirth);
      // Decree 146/2018/NĐ-CP, Art. 13(2) (the rule's own cases are in insurance-rules.spec.ts).
      expect(card.validTo).toBe(childCardEnd(birth.child.dateOfBirth));

      // The same birth again: the first registration, not a second citizen.
      const again = await post<{ registrationId: string }>('civil-status', '/births', birth);
      expect([again.status, again.body.registrationId]).toEqual([200, res.body.registrationId]);
    });

    it.each([
      ['an unknown parent', 'POPULATION.PARENT_NOT_FOUND'],
      ['a deceased parent', 'POPULATION.PARENT_DECEASED'],
    ])('birth: refuses %s with %s, and the case says where it stopped', async (_what, code) => {
      const mother = aCitizen(rng, 'FEMALE');
      if (code === 'POPULATION.PARENT_DECEASED') {
        await enter(mother);
        await post(
          'civil-status',
          '/deaths',
          { deceased: { ...mother, permanentAddress: undefined }, dateOfDeath: '2026-01-05' },
          { 'x-correlation-id': `death-of-${mother.personalId}` },
        );
        await caseOf(`death-of-${mother.personalId}`, (c) => c.status === 'COMPLETE');
      }
      const correlationId = `case-flows-refused-${code}`;
      await post('civil-status', '/births', aBirthRegistration(rng, { mother }), {
        'x-correlation-id': correlationId,
      });
      const refused = await caseOf(correlationId, (c) => c.status === 'FAILED');
      expect(refused.stoppedAt).toMatchObject({ consumer: 'population', errorCode: code });
    });

    it('death: residence removed, card ended, funeral allowance at 10 × the base salary, parcels flagged', async () => {
      const deceased = await citizen({ sex: 'MALE', pensioner: true, card: true });
      const parcel = await post<{ parcelId: string; correlationId: string }>('land', '/parcels', {
        parcel: {
          communeCode: '00007',
          mapSheetNumber: 3,
          parcelNumber: 77,
          areaM2: 95.5,
          landUsePurpose: 'ONT',
        },
        owners: [
          {
            personalId: deceased.personalId,
            fullName: deceased.fullName,
            dateOfBirth: deceased.dateOfBirth,
          },
        ],
      });
      expect(parcel.status).toBe(201);
      await caseOf(
        parcel.body.correlationId,
        (c) => c.status === 'COMPLETE' && c.steps.length === 2,
      );

      const death = {
        deceased: {
          personalId: deceased.personalId,
          fullName: deceased.fullName,
          sex: 'MALE',
          dateOfBirth: deceased.dateOfBirth,
        },
        dateOfDeath: '2026-11-01',
      };
      const res = await post('civil-status', '/deaths', death, {
        'x-correlation-id': 'case-flows-death',
      });
      expect(res.status).toBe(201);
      const done = await caseOf(
        'case-flows-death',
        (c) => c.status === 'COMPLETE' && c.steps.length === 4,
      );
      expect(done.steps.map((s) => s.eventType).sort()).toEqual([
        'civil-status.death-registered.v1',
        'insurance.card-terminated.v1',
        'insurance.funeral-allowance-granted.v1',
        'population.citizen-deceased.v1',
      ]);

      const person = await get<{ status: string; permanentAddress: string | null }>(
        'population-adapter',
        `/citizens/${deceased.personalId}`,
      );
      expect(person.body).toMatchObject({ status: 'DECEASED', permanentAddress: null });
      const cards = await get<{ items: { status: string; terminatedOn: string }[] }>(
        'insurance',
        `/cards?personalId=${deceased.personalId}`,
      );
      expect(cards.body.items).toEqual([
        expect.objectContaining({ status: 'TERMINATED', terminatedOn: '2026-11-01' }),
      ]);
      const allowance = await get<{
        amountVnd: number;
        baseSalaryVnd: number;
        entitlement: string;
      }>('insurance', `/funeral-allowances/${deceased.personalId}`);
      expect(allowance.body).toMatchObject({
        amountVnd: 23_400_000,
        baseSalaryVnd: 2_340_000,
        entitlement: 'PENSIONER',
      });
      const land = await get<{ inheritanceFlagged: boolean }>(
        'land',
        `/parcels/${parcel.body.parcelId}`,
      );
      expect(land.body.inheritanceFlagged).toBe(true);

      // Registered again: the first registration, no second event.
      expect((await post('civil-status', '/deaths', death)).status).toBe(200);
    });

    it('death: refuses an unknown citizen with a coded failure', async () => {
      const unknown = aCitizen(rng, 'FEMALE');
      const death = {
        deceased: {
          personalId: unknown.personalId,
          fullName: unknown.fullName,
          sex: 'FEMALE',
          dateOfBirth: unknown.dateOfBirth,
        },
        dateOfDeath: '2026-10-01',
      };
      await post('civil-status', '/deaths', death, {
        'x-correlation-id': 'case-flows-unknown-death',
      });
      const refused = await caseOf('case-flows-unknown-death', (c) => c.status === 'FAILED');
      expect(refused.stoppedAt).toMatchObject({
        consumer: 'population',
        errorCode: 'POPULATION.CITIZEN_NOT_FOUND',
      });
    });

    it('land: owners verified, flagged with the fields that differ, or not found', async () => {
      const match = await citizen();
      const misnamed = await citizen();
      const stranger = aCitizen(rng);
      const res = await post<{ parcelId: string; correlationId: string }>('land', '/parcels', {
        parcel: {
          communeCode: '00010',
          mapSheetNumber: 8,
          parcelNumber: 120,
          areaM2: 300,
          landUsePurpose: 'ODT',
        },
        owners: [
          {
            personalId: match.personalId,
            fullName: match.fullName.toUpperCase(),
            dateOfBirth: match.dateOfBirth,
          },
          {
            personalId: misnamed.personalId,
            fullName: misnamed.fullName.normalize('NFD').replace(/\p{M}/gu, ''),
            dateOfBirth: misnamed.dateOfBirth,
          },
          {
            personalId: stranger.personalId,
            fullName: stranger.fullName,
            dateOfBirth: stranger.dateOfBirth,
          },
        ],
      });
      expect(res.status).toBe(201);
      await caseOf(res.body.correlationId, (c) => c.status === 'COMPLETE' && c.steps.length === 4);
      const parcel = await get<{
        owners: {
          personalId: string;
          verificationStatus: string;
          verificationResult: string;
          mismatchedFields: string[] | null;
        }[];
      }>('land', `/parcels/${res.body.parcelId}`);
      const status = Object.fromEntries(
        parcel.body.owners.map((o) => [
          o.personalId,
          [o.verificationStatus, o.verificationResult, o.mismatchedFields],
        ]),
      );
      expect(status[match.personalId]).toEqual(['VERIFIED', 'MATCH', null]);
      expect(status[misnamed.personalId]).toEqual(['FLAGGED', 'MISMATCH', ['fullName']]);
      expect(status[stranger.personalId]).toEqual(['FLAGGED', 'NOT_FOUND', null]);
    });

    it('card–ID link: cards sent in batches, verified, linked; the hub reports the share', async () => {
      const holders = [await citizen({ card: true }), await citizen({ card: true })];
      // The insurer knows the second holder under another name than the register.
      const renamed = {
        personalId: holders[1].personalId,
        fullName: 'Tên Khác Hẳn',
        dateOfBirth: holders[1].dateOfBirth,
      };
      expect((await post('insurance', '/participants', renamed)).status).toBe(201);
      const res = await post<{ requested: number; batches: string[] }>(
        'insurance',
        '/cards/link-requests',
        { batchSize: 1 },
      );
      expect(res.body.requested).toBeGreaterThanOrEqual(2);
      const summary = await eventually(
        async () => {
          const r = await get<{ byStatus: Record<string, number> }>(
            'insurance',
            '/cards/link-summary',
          );
          return (r.body.byStatus.REQUESTED ?? 0) === 0 ? r.body : undefined;
        },
        { what: 'every requested card verified' },
      );
      expect(summary.byStatus.MISMATCH).toBeGreaterThanOrEqual(1);
      const linked = await get<{ items: { personalId: string }[] }>(
        'insurance',
        `/cards?linkStatus=LINKED&personalId=${holders[0].personalId}`,
      );
      expect(linked.body.items).toHaveLength(1);
      const report = await eventually(
        async () => {
          const r = await http<{
            requested: number;
            linked: number;
            awaitingVerification: number;
            linkedShare: number;
          }>('GET', url('hub', '/reports/card-links'), undefined, auditor);
          return r.body.requested >= 2 && r.body.awaitingVerification === 0 ? r.body : undefined;
        },
        { what: 'the card-link report' },
      );
      expect(report.linked).toBeGreaterThanOrEqual(1);
      expect(report.linkedShare).toBeCloseTo(report.linked / report.requested, 4);
    });

    it('hubctl log rebuild: the topics replayed into an empty log give the same counts and statuses', async () => {
      const hub = stack.service('hub').config as HubConfig;
      // Once the live log is quiet (nothing new for a second), replay everything.
      let last = -1;
      await eventually(
        async () => {
          const [{ n }] = await query<{ n: string }>(
            hub.DATABASE_URL,
            'SELECT count(*) AS n FROM log_entries',
          );
          const quiet = Number(n) === last;
          last = Number(n);
          return quiet ? true : undefined;
        },
        { intervalMs: 1000, what: 'a quiet log' },
      );
      const result = (await hubService.commands!['rebuild-log'].run(hub, [
        `${hub.DATABASE_URL}_rebuilt`,
      ])) as {
        equal: boolean;
        records: number;
      };
      expect(result).toMatchObject({ equal: true });
      expect(result.records).toBeGreaterThan(20);
    });
  },
);
