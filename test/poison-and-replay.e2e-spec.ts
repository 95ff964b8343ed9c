import { civilStatusService } from '@apps/civil-status';
import { hubService } from '@apps/hub';
import { VALID_EXAMPLES, type CitizenRegisteredV1 } from '@lgsp/contracts';
import type { ServiceDefinition } from '@lgsp/platform';
import {
  eventRecord,
  eventually,
  http,
  issueKey,
  produceRaw,
  query,
  TestStack,
} from '@lgsp/testing';
import { TEST_ADMIN_KEY } from '@lgsp/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

const ADMIN = { 'x-api-key': TEST_ADMIN_KEY };

type Tx = {
  eventId: string;
  consumer: string;
  status: string;
  errorCode: string | null;
  attempts: number | null;
};

describe('poison messages: retried, dead-lettered, replayed once the cause is fixed', () => {
  let stack: TestStack;
  let operator: Record<string, string>;
  const hub = (path: string) => `${stack.url('hub')}${path}`;
  const civilDb = () => stack.databaseUrl('civil-status');
  let serial = 0;

  beforeAll(async () => {
    stack = await TestStack.start([civilStatusService, hubService] as ServiceDefinition[], {
      suffix: '_poison',
      env: { CONSUMER_MAX_ATTEMPTS: '3', DB_LOCK_TIMEOUT_MS: '300' },
    });
    operator = { 'x-api-key': await issueKey(stack.url('hub'), 'OPERATOR') };
  });

  afterAll(() => stack.close());

  /** A birth on record in civil status, waiting for its personal ID. */
  async function birthOnRecord(): Promise<string> {
    const id = randomUUID();
    await query(
      civilDb(),
      `INSERT INTO births (id, registered_on, registration_province_code, child_full_name, child_sex,
                           child_date_of_birth, correlation_id, event_id, natural_key)
       VALUES ($1::uuid, '2026-10-05', '01', 'Nguyễn Minh An', 'MALE', '2026-10-01', $1::text, $1::uuid, md5($1::text) || md5($1::text))`,
      [id],
    );
    return id;
  }

  /** The population registry's answer for a birth, published as population would. */
  function citizenRegistered(birthId: string) {
    serial++;
    const data: CitizenRegisteredV1 = {
      ...(VALID_EXAMPLES['population.citizen-registered.v1'] as CitizenRegisteredV1),
      personalId: `00122600${String(1000 + serial).padStart(4, '0')}`,
      birthRegistrationId: birthId,
    };
    return {
      ...eventRecord(stack, 'population', 'population.citizen-registered.v1', data),
      personalId: data.personalId,
    };
  }

  const transaction = (eventId: string, status: string) =>
    eventually(
      async () => {
        const r = await http<Tx[]>('GET', hub(`/transactions/${eventId}`), undefined, ADMIN);
        return r.body[0]?.status === status ? r.body[0] : undefined;
      },
      { what: `transaction ${eventId} ${status}`, timeoutMs: 60_000 },
    );

  it('dead-letters a message that keeps failing after its retries, lets the rest flow, and replays it', async () => {
    const stuckBirth = await birthOnRecord();
    const otherBirths = await Promise.all([1, 2, 3, 4, 5].map(() => birthOnRecord()));
    // The cause: another transaction holds the row, so every attempt times out on its lock.
    const lock = new Client({ connectionString: civilDb() });
    await lock.connect();
    await lock.query('BEGIN');
    await lock.query('SELECT 1 FROM births WHERE id = $1 FOR UPDATE', [stuckBirth]);
    try {
      const stuck = citizenRegistered(stuckBirth);
      const others = otherBirths.map((b) => citizenRegistered(b));
      await produceRaw(stuck.topic, [stuck.message, ...others.map((o) => o.message)]);

      const failed = await transaction(stuck.eventId, 'FAILED');
      expect(failed).toMatchObject({
        consumer: 'civil-status',
        errorCode: 'DELIVERY.RETRIES_EXHAUSTED',
        attempts: 3,
      });
      for (const o of others) await transaction(o.eventId, 'SUCCESS');

      const dead = await http<Tx[]>(
        'GET',
        hub('/dead-letters?consumer=civil-status'),
        undefined,
        operator,
      );
      expect(dead.body.map((t) => t.eventId)).toContain(stuck.eventId);
      const [kept] = await query<{ attempts: number }>(
        civilDb(),
        'SELECT attempts FROM dead_letters WHERE event_id = $1',
        [stuck.eventId],
      );
      expect(kept.attempts).toBe(3);

      // The fix: the lock is released. Then the operator replays that one event.
      await lock.query('COMMIT');
      const replay = await http<{ requested: number }>(
        'POST',
        hub('/dead-letters/replay'),
        { eventIds: [stuck.eventId] },
        operator,
      );
      expect([replay.status, replay.body.requested]).toEqual([202, 1]);
      const done = await transaction(stuck.eventId, 'SUCCESS');
      expect(done.attempts).toBe(4);
      const [birth] = await query<{ child_personal_id: string }>(
        civilDb(),
        'SELECT child_personal_id FROM births WHERE id = $1',
        [stuckBirth],
      );
      expect(birth.child_personal_id).toBe(stuck.personalId);

      // The log keeps both outcomes: FAILED, then SUCCESS after the replay.
      const log = await http<{ kind: string; status: string }[]>(
        'GET',
        hub(`/log?eventId=${stuck.eventId}`),
        undefined,
        operator,
      );
      expect(log.body.filter((e) => e.kind === 'RECEIPT').map((e) => e.status)).toEqual([
        'FAILED',
        'SUCCESS',
      ]);
    } finally {
      await lock.query('ROLLBACK').catch(() => undefined);
      await lock.end();
    }
  });

  it('fails a message permanently at once, and replays every dead letter of that error once fixed', async () => {
    const missingBirth = randomUUID();
    const orphan = citizenRegistered(missingBirth);
    await produceRaw(orphan.topic, [orphan.message]);
    const failed = await transaction(orphan.eventId, 'FAILED');
    expect(failed).toMatchObject({ errorCode: 'CIVIL_STATUS.BIRTH_NOT_FOUND', attempts: 1 });

    const summary = await http<{ consumer: string; errorCode: string; count: number }[]>(
      'GET',
      hub('/dead-letters/summary'),
      undefined,
      operator,
    );
    expect(summary.body).toContainEqual(
      expect.objectContaining({
        consumer: 'civil-status',
        errorCode: 'CIVIL_STATUS.BIRTH_NOT_FOUND',
        count: 1,
      }),
    );

    // The fix: the birth record is entered. Replay by filter.
    await query(
      civilDb(),
      `INSERT INTO births (id, registered_on, registration_province_code, child_full_name, child_sex,
                           child_date_of_birth, correlation_id, event_id, natural_key)
       VALUES ($1::uuid, '2026-10-05', '01', 'Nguyễn Minh An', 'MALE', '2026-10-01', $1::text, $1::uuid, md5($1::text) || md5($1::text))`,
      [missingBirth],
    );
    const replay = await http(
      'POST',
      hub('/dead-letters/replay'),
      { consumer: 'civil-status', errorCode: 'CIVIL_STATUS.BIRTH_NOT_FOUND' },
      operator,
    );
    expect(replay.status).toBe(202);
    await transaction(orphan.eventId, 'SUCCESS');
  });

  it('refuses a replay without a filter, and to callers without the operator role', async () => {
    const none = await http<{ code: string }>('POST', hub('/dead-letters/replay'), {}, operator);
    expect([none.status, none.body.code]).toEqual([400, 'HUB.REPLAY_NEEDS_FILTER']);
    const system = await issueKey(stack.url('hub'), 'SYSTEM', 'land');
    const forbidden = await http<{ code: string }>(
      'POST',
      hub('/dead-letters/replay'),
      { all: true },
      { 'x-api-key': system },
    );
    expect([forbidden.status, forbidden.body.code]).toEqual([403, 'HUB.FORBIDDEN']);
  });
});
