import { hubService } from '@apps/hub';
import { populationService } from '@apps/population-adapter';
import { type BirthRegisteredV1, type ReceiptV1, VALID_EXAMPLES } from '@lgsp/contracts';
import type { ServiceDefinition } from '@lgsp/platform';
import {
  addToRegister,
  applyPlan,
  eventRecord,
  eventually,
  FuzzTally,
  fuzzParameters,
  fuzzTimeout,
  hostileRecordPlan,
  http,
  percentEncoded,
  planLabel,
  query,
  type RecordPlan,
  TEST_ADMIN_KEY,
  TestStack,
  testKafka,
} from '@lgsp/testing';
import fc from 'fast-check';
import type { Message, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';

const ADMIN = { 'x-api-key': TEST_ADMIN_KEY };
const BIRTH = 'civil-status.birth-registered.v1';
const OWNERSHIP = 'land.ownership-registered.v1';
const RECEIPT = 'hub.receipt.v1';

type Tx = {
  consumer: string;
  status: string;
  errorCode: string | null;
  publishedAt: string | null;
};
type Entry = { kind: string; consumer: string | null; errorCode: string | null };
type Sent = { message: Message; offset: string; label: string };

/** The topics under fire: two that population consumes, and the hub's receipts. */
const TARGETS = [
  { type: BIRTH, system: 'civil-status', consumed: true },
  { type: OWNERSHIP, system: 'land', consumed: true },
  { type: RECEIPT, system: 'population', consumed: false },
] as const;
type Target = (typeof TARGETS)[number];

describe('fuzzing the Kafka topics: hostile records never stall a partition nor vanish', () => {
  let stack: TestStack;
  let producer: Producer;
  const tally = new FuzzTally('Kafka records');
  /** Record ids seen so far: a record that repeats one is a redelivery, settled without a dead letter. */
  const seenIds = new Set<string>();

  beforeAll(async () => {
    stack = await TestStack.start([populationService, hubService] as ServiceDefinition[], {
      suffix: '_fuzz_kafka',
      env: { CONSUMER_MAX_ATTEMPTS: '2' },
    });
    // The parents of the example birth are in the register, so that a valid birth succeeds.
    await addToRegister(stack.databaseUrl('population-adapter'), [
      {
        personalId: '001190012345',
        fullName: 'Trần Thị Lan',
        sex: 'FEMALE',
        dateOfBirth: '1990-07-12',
      },
      {
        personalId: '001088054321',
        fullName: 'Nguyễn Văn Hùng',
        sex: 'MALE',
        dateOfBirth: '1988-05-20',
      },
    ]);
    producer = testKafka().producer({
      allowAutoTopicCreation: false,
    });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await stack?.close();
  });

  /** A well-formed record of the target's type, as its provider would publish it. */
  function valid(target: Target) {
    const data =
      target.type === RECEIPT
        ? ({
            eventId: randomUUID(),
            eventType: `vn.lgsp.${OWNERSHIP}`,
            consumer: 'population',
            status: 'SUCCESS',
            attempts: 1,
            receivedAt: new Date(Date.now() - 5).toISOString(),
            completedAt: new Date().toISOString(),
          } satisfies ReceiptV1)
        : { ...VALID_EXAMPLES[target.type], registrationId: randomUUID() };
    return eventRecord(stack, target.system, target.type, data);
  }

  async function produce(topic: string, message: Message): Promise<string | undefined> {
    try {
      const [meta] = await producer.send({ topic, messages: [message], acks: -1 });
      return meta.baseOffset;
    } catch {
      return undefined; // the broker refused it (too large, say): nothing reached a consumer
    }
  }

  const positionOf = (topic: string, partition: number, offset: string) =>
    [topic, partition, offset] as const;

  /** The id a consumer knows a record by: its first `ce_id`, as UTF-8, else its position. */
  function recordIdOf(m: Message, position: string): string {
    const raw = m.headers?.ce_id;
    const first = Array.isArray(raw) ? raw[0] : raw;
    const id =
      first === undefined ? '' : Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
    return id || position;
  }

  /** The event id a consumer's receipt names: the dead letter's, cut as the transport cuts it. */
  const receiptIdOf = (deadLetterId: string) => deadLetterId.slice(0, 200);

  /** After the good record behind them was logged: every hostile record is accounted for. */
  async function accountedFor(target: Target, topic: string, partition: number, sent: Sent[]) {
    for (const s of sent) {
      const position = positionOf(topic, partition, s.offset);
      const logged = await query<{ kind: string; error_code: string | null }>(
        stack.databaseUrl('hub'),
        'SELECT kind, error_code FROM log_entries WHERE topic = $1 AND kafka_partition = $2 AND kafka_offset = $3',
        [...position],
      );
      const id = recordIdOf(s.message, position.join('/'));
      const repeated = seenIds.has(id);
      seenIds.add(id);
      if (logged.length === 0 && !repeated) throw new Error(`${s.label}: not in the hub's log`);
      for (const e of logged)
        if (e.kind === 'REJECTED' && !e.error_code)
          throw new Error(`${s.label}: REJECTED without a code`);
      if (!target.consumed || logged.some((e) => e.kind === 'PUBLISHED') || repeated) continue;
      const [dead] = await query<{ event_id: string; error_code: string | null }>(
        stack.databaseUrl('population-adapter'),
        `SELECT event_id, error_code FROM dead_letters
          WHERE topic = $1 AND kafka_partition = $2 AND kafka_offset = $3`,
        [...position],
      );
      if (!dead?.error_code)
        throw new Error(`${s.label}: refused by the hub, but no coded dead letter`);
      // The consumer's refusal reaches the hub's log as its REJECTED (or FAILED) receipt.
      await eventually(
        async () => {
          const r = await http<Entry[]>(
            'GET',
            `${stack.url('hub')}/log?eventId=${percentEncoded(receiptIdOf(dead.event_id))}`,
            undefined,
            ADMIN,
          );
          return r.body.find?.(
            (e) =>
              e.kind === 'RECEIPT' &&
              e.consumer === 'population' &&
              e.errorCode === dead.error_code,
          );
        },
        {
          what: `${s.label}: population's ${dead.error_code} receipt in the hub's log`,
          timeoutMs: 30_000,
        },
      );
    }
  }

  /**
   * Every service's outbox is empty again: its relay went on. (A batch the broker refuses in
   * part is written in part, so a record seen downstream does not prove it.)
   */
  async function outboxesDrained() {
    for (const svc of stack.services()) {
      await eventually(
        async () => {
          const [{ n }] = await query<{ n: string }>(
            svc.config.DATABASE_URL,
            'SELECT count(*) AS n FROM outbox',
          );
          return n === '0' ? true : undefined;
        },
        {
          what: `the outbox of ${svc.config.DATABASE_URL.split('/').pop()} relayed`,
          timeoutMs: 30_000,
        },
      );
    }
  }

  /** The good record behind the hostile ones went through: logged, and applied by population. */
  async function goneThrough(
    target: Target,
    topic: string,
    partition: number,
    offset: string,
    eventId: string,
  ) {
    if (!target.consumed) {
      await eventually(
        async () => {
          const [e] = await query<{ kind: string }>(
            stack.databaseUrl('hub'),
            'SELECT kind FROM log_entries WHERE topic = $1 AND kafka_partition = $2 AND kafka_offset = $3',
            [topic, partition, offset],
          );
          return e?.kind === 'RECEIPT' ? true : undefined;
        },
        { what: 'the good receipt logged behind the hostile records', timeoutMs: 30_000 },
      );
      return;
    }
    await eventually(
      async () => {
        const r = await http<Tx[]>(
          'GET',
          `${stack.url('hub')}/transactions/${eventId}`,
          undefined,
          ADMIN,
        );
        const tx = r.body.find?.((t) => t.consumer === 'population');
        return tx?.status === 'SUCCESS' && tx.publishedAt ? tx : undefined;
      },
      { what: 'the good record SUCCESS behind the hostile records', timeoutMs: 60_000 },
    );
  }

  it('goes on past a record whose retries run out beside one that fails its batch as a whole', async () => {
    const target = TARGETS[0];
    const first = valid(target);
    await produce(first.topic, { ...first.message, partition: 0 });
    await goneThrough(target, first.topic, 0, '', first.eventId);
    // A birth that meets a database fault each time population enters it (a trigger of this
    // test's database): it is retried until its attempts run out.
    await query(
      stack.databaseUrl('population-adapter'),
      `CREATE FUNCTION lgsp_test_fault() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.full_name = 'Nguyễn Văn Lỗi' THEN RAISE EXCEPTION 'a fault met each time'; END IF;
         RETURN NEW;
       END $$;
       CREATE TRIGGER lgsp_test_fault BEFORE INSERT ON citizens
         FOR EACH ROW EXECUTE FUNCTION lgsp_test_fault();`,
    );
    const example = JSON.parse(String(first.message.value)) as BirthRegisteredV1;
    const again = eventRecord(stack, 'civil-status', BIRTH, {
      ...example,
      registrationId: randomUUID(),
      child: { ...example.child, fullName: 'Nguyễn Văn Lỗi' },
    });
    const unstorable = valid(target);
    const headers = {
      ...(unstorable.message.headers as Record<string, string>),
      'x-note': 'a\u0000b',
    };
    const good = valid(target);
    const [meta] = await producer.send({
      topic: first.topic,
      acks: -1,
      messages: [
        again.message,
        // Refused, and its dead letter keeps its headers: jsonb cannot hold the NUL.
        { ...unstorable.message, headers, value: Buffer.from('not json') },
        good.message,
      ].map((m) => ({ ...m, partition: 0 })),
    });
    await goneThrough(target, first.topic, 0, String(Number(meta.baseOffset) + 2), good.eventId);
    const r = await http<Tx[]>(
      'GET',
      `${stack.url('hub')}/transactions/${again.eventId}`,
      undefined,
      ADMIN,
    );
    expect(r.body.find((t) => t.consumer === 'population')).toMatchObject({
      status: 'FAILED',
      errorCode: 'DELIVERY.RETRIES_EXHAUSTED',
    });
  });

  it('refuses the same birth registration announced again under another event id', async () => {
    const target = TARGETS[0];
    const first = valid(target);
    await produce(first.topic, { ...first.message, partition: 1 });
    await goneThrough(target, first.topic, 1, '', first.eventId);
    const twice = eventRecord(
      stack,
      'civil-status',
      BIRTH,
      JSON.parse(String(first.message.value)) as object,
    );
    await produce(first.topic, { ...twice.message, partition: 1 });
    const tx = await eventually(
      async () => {
        const r = await http<Tx[]>(
          'GET',
          `${stack.url('hub')}/transactions/${twice.eventId}`,
          undefined,
          ADMIN,
        );
        const t = r.body.find?.((x) => x.consumer === 'population');
        return t && t.status !== 'PENDING' ? t : undefined;
      },
      { what: 'the second announcement settled', timeoutMs: 30_000 },
    );
    expect(tx).toMatchObject({
      status: 'FAILED',
      errorCode: 'POPULATION.BIRTH_ALREADY_REGISTERED',
    });
  });

  it('relays dead-letter copies that together weigh more than the broker takes in one batch', async () => {
    // Two copies of large refused records of one key, as a busy consumer may leave them for
    // one drain of its relay: one partition of the dead-letter topic, 1.2 MB together.
    await query(
      stack.databaseUrl('population-adapter'),
      `INSERT INTO outbox (topic, key, headers, payload)
       SELECT $1, 'one-key', '{"lgsp_dlq_consumer":"population"}'::jsonb, decode(repeat('78', 600000), 'hex')
         FROM generate_series(1, 2)`,
      [`${stack.topicPrefix()}lgsp.population.dlq.v1`],
    );
    const target = TARGETS[1];
    const good = valid(target);
    const offset = await produce(good.topic, { ...good.message, partition: 1 });
    await goneThrough(target, good.topic, 1, offset!, good.eventId);
    await outboxesDrained();
  });

  it(
    'refuses, codes and logs each hostile record, and goes on with the partition',
    async () => {
      const params = fuzzParameters(20, { inputsPerRun: 3, ciTimeMs: 75_000 });
      const plans = (t: Target) =>
        fc.array(hostileRecordPlan(t.type === RECEIPT ? {} : VALID_EXAMPLES[t.type]), {
          minLength: 1,
          maxLength: 5,
        });
      await fc.assert(
        fc.asyncProperty(
          fc
            .constantFrom(...TARGETS)
            .chain((t) => fc.tuple(fc.constant(t), plans(t), fc.nat({ max: 2 }))),
          async ([target, recordPlans, partition]: [Target, RecordPlan[], number]) => {
            const sent: Sent[] = [];
            let topic = '';
            for (const plan of recordPlans) {
              const base = valid(target);
              topic = base.topic;
              const message = applyPlan(
                {
                  key: base.message.key as string,
                  headers: base.message.headers as Record<string, string>,
                  value: base.message.value as Buffer,
                },
                plan,
                partition,
              );
              const offset = await produce(topic, message);
              tally.add(offset === undefined ? 'refused by the broker' : plan.value.label);
              if (offset !== undefined) sent.push({ message, offset, label: planLabel(plan) });
            }
            const good = valid(target);
            const offset = await produce(good.topic, { ...good.message, partition });
            if (offset === undefined)
              throw new Error('the good record was not accepted by the broker');
            await goneThrough(target, good.topic, partition, offset, good.eventId);
            await accountedFor(target, topic, partition, sent);
            await outboxesDrained();
            for (const svc of stack.services())
              expect((await fetch(`${svc.url}/health`)).status).toBe(200);
          },
        ),
        params,
      );
      tally.print(params.seed);
    },
    fuzzTimeout(),
  );
});
