import { hubService } from '@apps/hub';
import { populationService } from '@apps/population-adapter';
import { VALID_EXAMPLES } from '@lgsp/contracts';
import { OutboxWriter } from '@lgsp/messaging';
import type { ServiceDefinition } from '@lgsp/platform';
import {
  addToRegister,
  eventually,
  header,
  http,
  produceRaw,
  query,
  readTopic,
  TestStack,
} from '@lgsp/testing';
import { TEST_ADMIN_KEY } from '@lgsp/testing';
import { randomUUID } from 'node:crypto';

const ADMIN = { 'x-api-key': TEST_ADMIN_KEY };

type Tx = { eventId: string; consumer: string; status: string; errorCode: string | null };

describe('Kafka side: refusals never stop the partition behind them', () => {
  let stack: TestStack;
  let writer: OutboxWriter;

  beforeAll(async () => {
    stack = await TestStack.start([populationService, hubService] as ServiceDefinition[], {
      suffix: '_refusals',
    });
    const population = stack.service('population-adapter').config;
    // The parents named in the worked birth example are in the register.
    await addToRegister(population.DATABASE_URL, [
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
    writer = new OutboxWriter({
      system: 'civil-status',
      provinceCode: '01',
      topicPrefix: stack.topicPrefix(),
      subjectHashKey: population.SUBJECT_HASH_KEY,
    });
  });

  afterAll(() => stack.close());

  /** A well-formed birth-registered record, as civil status would publish it. */
  function birth(): {
    headers: Record<string, string>;
    value: Buffer;
    key: string;
    registrationId: string;
  } {
    const data = {
      ...VALID_EXAMPLES['civil-status.birth-registered.v1'],
      registrationId: randomUUID(),
    } as {
      registrationId: string;
    };
    const { message } = writer.build({
      type: 'civil-status.birth-registered.v1',
      data,
      correlationId: randomUUID(),
    });
    return {
      headers: message.headers,
      value: message.payload!,
      key: message.key!,
      registrationId: data.registrationId,
    };
  }

  it('rejects each malformed record with a coded receipt and a dead letter, and goes on', async () => {
    const topic = `${stack.topicPrefix()}lgsp.civil-status.birth-registered.v1`;
    const b = () => birth();
    const bad = [
      { code: 'ENVELOPE.INVALID_JSON', ...b(), value: Buffer.from('{"child": not json') },
      {
        code: 'ENVELOPE.MISSING_ATTRIBUTES',
        ...b(),
        headers: { 'content-type': 'application/json' },
      },
      {
        code: 'CONTRACT.INVALID_PAYLOAD',
        ...b(),
        value: Buffer.from(JSON.stringify({ registrationId: 7, child: 'x' })),
      },
      {
        code: 'ENVELOPE.TOO_LARGE',
        ...b(),
        value: Buffer.from(JSON.stringify({ pad: 'x'.repeat(1_000_100) })),
      },
      {
        code: 'CONTRACT.UNAUTHORISED_PUBLISHER',
        ...b(),
        headers: { ...b().headers, ce_source: '/lgsp/01/land' },
      },
      {
        // A NUL in a header cannot be stored as it came: the record is quarantined, not retried forever.
        code: 'CONSUMER.UNPROCESSABLE',
        ...b(),
        value: Buffer.from('not json'),
        headers: { ...b().headers, 'x-note': 'a\u0000b' },
      },
      {
        code: 'CONTRACT.UNKNOWN_EVENT_TYPE',
        ...b(),
        headers: { ...b().headers, ce_type: 'vn.lgsp.civil-status.birth-registered.v9' },
      },
    ].map((m) => ({
      ...m,
      headers: {
        ...m.headers,
        ce_id: m.code === 'ENVELOPE.MISSING_ATTRIBUTES' ? '' : randomUUID(),
      },
    }));
    const good = birth();
    // One partition, in this order: six bad records, then a good one.
    await produceRaw(
      topic,
      [...bad, good].map((m) => ({ key: m.key, value: m.value, headers: m.headers, partition: 0 })),
    );

    await eventually(
      async () => {
        const rows = await query(
          stack.databaseUrl('population-adapter'),
          'SELECT 1 FROM citizens WHERE birth_registration_id = $1',
          [good.registrationId],
        );
        return rows.length === 1 ? true : undefined;
      },
      { what: 'the good birth registered behind the bad records' },
    );

    const dead = await readTopic(
      `${stack.topicPrefix()}lgsp.population.dlq.v1`,
      (ms) => ms.length >= bad.length,
    );
    expect(dead.map((m) => header(m, 'lgsp_dlq_error_code')).sort()).toEqual(
      bad.map((m) => m.code).sort(),
    );
    const invalidJson = dead.find(
      (m) => header(m, 'lgsp_dlq_error_code') === 'ENVELOPE.INVALID_JSON',
    )!;
    expect(invalidJson.value?.toString()).toBe('{"child": not json');
    expect(header(invalidJson, 'lgsp_dlq_original_topic')).toBe(topic);
    expect(header(invalidJson, 'ce_type')).toBe('vn.lgsp.civil-status.birth-registered.v1');

    const rejected = await eventually(
      async () => {
        const r = await http<Tx[]>(
          'GET',
          `${stack.url('hub')}/transactions?consumer=population&status=REJECTED`,
          undefined,
          ADMIN,
        );
        return r.body.length >= bad.length ? r.body : undefined;
      },
      { what: "population's REJECTED receipts in the hub" },
    );
    expect(rejected.map((t) => t.errorCode).sort()).toEqual(bad.map((m) => m.code).sort());
  });

  it('applies a redelivered event once and receipts it once', async () => {
    const topic = `${stack.topicPrefix()}lgsp.civil-status.birth-registered.v1`;
    const m = birth();
    const record = { key: m.key, value: m.value, headers: m.headers };
    await produceRaw(topic, [record, record]);
    const eventId = m.headers.ce_id;
    await eventually(
      async () => {
        const r = await http<Tx[]>(
          'GET',
          `${stack.url('hub')}/transactions/${eventId}`,
          undefined,
          ADMIN,
        );
        return r.body[0]?.status === 'SUCCESS' ? true : undefined;
      },
      { what: 'the SUCCESS transaction' },
    );
    const citizens = await query(
      stack.databaseUrl('population-adapter'),
      'SELECT 1 FROM citizens WHERE birth_registration_id = $1',
      [m.registrationId],
    );
    expect(citizens).toHaveLength(1);
    const receipts = await readTopic(`${stack.topicPrefix()}lgsp.hub.receipts.v1`, (ms) =>
      ms.some((x) => header(x, 'ce_causationid') === eventId),
    );
    expect(receipts.filter((x) => header(x, 'ce_causationid') === eventId)).toHaveLength(1);
  });
});
