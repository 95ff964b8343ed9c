import {
  POPULATION_REGISTRY,
  type PopulationRegistry,
  populationService,
} from '@apps/population-adapter';
import {
  type PopulationSimulator,
  type SimulatedCitizen,
  startPopulationSimulator,
} from '@apps/population-registry-simulator';
import { today } from '@lgsp/contracts';
import { addToRegister, query, TestStack } from '@lgsp/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

/** What a contract case needs of the register behind one adapter. */
interface Backing {
  registry: PopulationRegistry;
  /** Runs a call as a consumer would: in a transaction of the service's database. */
  inTransaction<T>(call: (scope: { manager: DataSource['manager'] }) => Promise<T>): Promise<T>;
  seed(people: SimulatedCitizen[]): Promise<void>;
  close(): Promise<void>;
}

async function postgresBacking(): Promise<Backing> {
  const stack = await TestStack.start([populationService], { suffix: '_registry_postgres' });
  const app = stack.service('population-adapter').app;
  const dataSource = app.get(DataSource);
  const db = stack.databaseUrl('population-adapter');
  return {
    registry: app.get<PopulationRegistry>(POPULATION_REGISTRY),
    inTransaction: (call) => dataSource.transaction((manager) => call({ manager })),
    seed: async (people) => {
      await addToRegister(
        db,
        people.map((p) => ({ ...p, permanentAddress: p.permanentAddress ?? undefined })),
      );
      const dead = people.filter((p) => p.status === 'DECEASED').map((p) => p.personalId);
      if (dead.length)
        await query(db, "UPDATE citizens SET status = 'DECEASED' WHERE personal_id = ANY($1)", [
          dead,
        ]);
    },
    close: () => stack.close(),
  };
}

async function httpBacking(): Promise<Backing> {
  const simulator: PopulationSimulator = await startPopulationSimulator({
    token: 'contract-token',
  });
  const stack = await TestStack.start([populationService], {
    suffix: '_registry_http',
    env: {
      POPULATION_REGISTRY: 'http',
      POPULATION_REGISTRY_URL: simulator.url,
      POPULATION_REGISTRY_TOKEN: 'contract-token',
    },
  });
  const app = stack.service('population-adapter').app;
  const dataSource = app.get(DataSource);
  return {
    registry: app.get<PopulationRegistry>(POPULATION_REGISTRY),
    inTransaction: (call) => dataSource.transaction((manager) => call({ manager })),
    seed: (people) => Promise.resolve(simulator.seed(people)),
    close: async () => {
      await stack.close();
      await simulator.close();
    },
  };
}

/**
 * The PopulationRegistry contract: the same cases against the reference register in
 * PostgreSQL and against the national population API's client (with the simulator behind
 * it), each adapter as the service wires it from POPULATION_REGISTRY.
 */
describe.each([
  ['postgres', postgresBacking],
  ['http', httpBacking],
] as const)('PopulationRegistry contract: %s', (kind, start) => {
  let b: Backing;
  const mother: SimulatedCitizen = {
    personalId: '001185000101',
    fullName: 'Nguyễn Thị Lan',
    sex: 'FEMALE',
    dateOfBirth: '1985-04-12',
    permanentAddress: 'Số 5 Hàng Bông, Hoàn Kiếm, Hà Nội',
  };
  const father: SimulatedCitizen = {
    personalId: '001082000102',
    fullName: 'Trần Văn Minh',
    sex: 'MALE',
    dateOfBirth: '1982-09-30',
    permanentAddress: 'Số 9 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội',
  };
  const deadParent: SimulatedCitizen = {
    personalId: '001080000103',
    fullName: 'Lê Văn Hùng',
    sex: 'MALE',
    dateOfBirth: '1980-01-01',
    status: 'DECEASED',
  };
  const elder: SimulatedCitizen = {
    personalId: '001150000104',
    fullName: 'Phạm Thị Hoa',
    sex: 'FEMALE',
    dateOfBirth: '1950-02-03',
    permanentAddress: 'Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội',
  };
  const newborn = (over: Record<string, string> = {}) => ({
    requestId: randomUUID(),
    birthRegistrationId: randomUUID(),
    fullName: 'Trần Gia Bảo',
    sex: 'MALE' as const,
    dateOfBirth: '2026-11-20',
    provinceCode: '01',
    motherId: mother.personalId,
    fatherId: father.personalId,
    ...over,
  });

  beforeAll(async () => {
    b = await start();
    await b.seed([mother, father, deadParent, elder]);
  });
  afterAll(() => b?.close());

  it('is the adapter the configuration names', () => {
    expect(b.registry.kind).toBe(kind);
  });

  it('checks identities in order: match (case and spacing aside), mismatch per field, not found', async () => {
    const checks = await b.inTransaction((s) =>
      b.registry.checkIdentities(
        [
          { ...mother, fullName: '  nguyễn  THỊ lan ' },
          { personalId: father.personalId, fullName: 'Trần Văn Nam', dateOfBirth: '1982-10-01' },
          { personalId: father.personalId, fullName: father.fullName, dateOfBirth: '1982-10-01' },
          { personalId: '001099999999', fullName: 'Không Có', dateOfBirth: '1999-01-01' },
        ],
        s,
      ),
    );
    expect(checks).toEqual([
      { result: 'MATCH' },
      { result: 'MISMATCH', mismatchedFields: ['fullName', 'dateOfBirth'] },
      { result: 'MISMATCH', mismatchedFields: ['dateOfBirth'] },
      { result: 'NOT_FOUND' },
    ]);
  });

  it('registers a newborn: an ID of its province, sex and century, year, and the mother’s address', async () => {
    const birth = newborn();
    const [outcome] = await b.inTransaction((s) => b.registry.registerNewborns([birth], s));
    expect(outcome).toEqual({
      personalId: expect.stringMatching(/^001226\d{6}$/) as string,
      permanentAddress: mother.permanentAddress,
    });
    const id = (outcome as { personalId: string }).personalId;
    expect(await b.registry.lookUp(id)).toEqual({
      personalId: id,
      fullName: birth.fullName,
      sex: 'MALE',
      dateOfBirth: birth.dateOfBirth,
      permanentAddress: mother.permanentAddress,
      status: 'ALIVE',
      dateOfDeath: null,
      residenceRemovedOn: null,
    });
  });

  it('answers the same request again as the first time, in a batch or later, and enters the birth once', async () => {
    const birth = newborn({ fullName: 'Trần Thị Mai', sex: 'FEMALE', fatherId: '' });
    delete (birth as Partial<typeof birth>).fatherId;
    const other = newborn({ fullName: 'Trần Minh Khang' });
    const first = await b.inTransaction((s) =>
      b.registry.registerNewborns([birth, other, birth], s),
    );
    expect(first[0]).toEqual(first[2]);
    expect(first[0]).not.toEqual(first[1]);
    expect((first[0] as { personalId: string }).personalId).toMatch(/^001326\d{6}$/);
    const again = await b.inTransaction((s) => b.registry.registerNewborns([birth], s));
    expect(again).toEqual([first[0]]);
  });

  it('refuses another request for a birth already entered, in a later batch or the same one', async () => {
    const birth = newborn({ fullName: 'Trần Bảo Ngọc', sex: 'FEMALE' });
    const [entered] = await b.inTransaction((s) => b.registry.registerNewborns([birth], s));
    expect(entered).toHaveProperty('personalId');
    const refusal = {
      refused: {
        code: 'POPULATION.BIRTH_ALREADY_REGISTERED',
        message: expect.any(String) as string,
      },
    };
    const later = await b.inTransaction((s) =>
      b.registry.registerNewborns([{ ...birth, requestId: randomUUID() }], s),
    );
    expect(later).toEqual([refusal]);
    const twin = newborn({ fullName: 'Trần Bảo Anh' });
    const together = await b.inTransaction((s) =>
      b.registry.registerNewborns([twin, { ...twin, requestId: randomUUID() }], s),
    );
    expect(together[0]).toHaveProperty('personalId');
    expect(together[1]).toEqual(refusal);
  });

  it('takes the father’s address when no mother is named, and none when no parent is', async () => {
    const [withFather, orphan] = await b.inTransaction((s) =>
      b.registry.registerNewborns(
        [
          { ...newborn(), motherId: undefined },
          { ...newborn(), motherId: undefined, fatherId: undefined },
        ].map(({ motherId, fatherId, ...n }) => ({
          ...n,
          ...(motherId ? { motherId } : {}),
          ...(fatherId ? { fatherId } : {}),
        })),
        s,
      ),
    );
    expect(withFather).toMatchObject({ permanentAddress: father.permanentAddress });
    expect(orphan).toMatchObject({ permanentAddress: null });
  });

  it('refuses a newborn whose parent is unknown or deceased, with a coded refusal each', async () => {
    const outcomes = await b.inTransaction((s) =>
      b.registry.registerNewborns(
        [newborn({ motherId: '001199888777' }), newborn({ fatherId: deadParent.personalId })],
        s,
      ),
    );
    expect(outcomes).toEqual([
      { refused: { code: 'POPULATION.PARENT_NOT_FOUND', message: expect.any(String) as string } },
      { refused: { code: 'POPULATION.PARENT_DECEASED', message: expect.any(String) as string } },
    ]);
  });

  it('records a death once, answers the same request again alike, and refuses another request', async () => {
    const notice = {
      requestId: randomUUID(),
      deathRegistrationId: randomUUID(),
      personalId: elder.personalId,
      fullName: 'phạm thị hoa',
      dateOfBirth: elder.dateOfBirth,
      dateOfDeath: '2026-11-01',
    };
    const [recorded] = await b.inTransaction((s) => b.registry.recordDeaths([notice], s));
    const removedOn = today() < notice.dateOfDeath ? notice.dateOfDeath : today();
    expect(recorded).toEqual({ residenceRemovedOn: removedOn });
    const [again] = await b.inTransaction((s) => b.registry.recordDeaths([notice], s));
    expect(again).toEqual(recorded);
    const [second] = await b.inTransaction((s) =>
      b.registry.recordDeaths([{ ...notice, requestId: randomUUID() }], s),
    );
    expect(second).toMatchObject({ refused: { code: 'POPULATION.ALREADY_DECEASED' } });
    expect(await b.registry.lookUp(elder.personalId)).toMatchObject({
      status: 'DECEASED',
      dateOfDeath: '2026-11-01',
      permanentAddress: null,
      residenceRemovedOn: removedOn,
    });
  });

  it('refuses a death whose identity differs from the register, or who is not in it', async () => {
    const outcomes = await b.inTransaction((s) =>
      b.registry.recordDeaths(
        [
          {
            requestId: randomUUID(),
            deathRegistrationId: randomUUID(),
            personalId: father.personalId,
            fullName: father.fullName,
            dateOfBirth: '1982-09-29',
            dateOfDeath: '2026-11-02',
          },
          {
            requestId: randomUUID(),
            deathRegistrationId: randomUUID(),
            personalId: '001170555444',
            fullName: 'Không Có',
            dateOfBirth: '1970-01-01',
            dateOfDeath: '2026-11-02',
          },
        ],
        s,
      ),
    );
    expect(outcomes).toEqual([
      { refused: { code: 'POPULATION.IDENTITY_MISMATCH', message: expect.any(String) as string } },
      { refused: { code: 'POPULATION.CITIZEN_NOT_FOUND', message: expect.any(String) as string } },
    ]);
    expect(await b.registry.lookUp(father.personalId)).toMatchObject({ status: 'ALIVE' });
  });

  it('looks up nobody for an ID it does not hold', async () => {
    expect(await b.registry.lookUp('001099999998')).toBeUndefined();
  });
});
