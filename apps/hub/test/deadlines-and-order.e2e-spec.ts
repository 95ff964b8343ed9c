import { hubService, RecordExchangeUseCase } from '@apps/hub';
import { type ReceiptV1, VALID_EXAMPLES } from '@lgsp/contracts';
import {
  asInbound,
  eventRecord,
  eventually,
  http,
  produceRaw,
  query,
  TestStack,
} from '@lgsp/testing';
import { TEST_ADMIN_KEY } from '@lgsp/testing';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';

const ADMIN = { 'x-api-key': TEST_ADMIN_KEY };

type Tx = { status: string; late: boolean; attempts: number | null; publishedAt: string | null };

describe('hub: delivery deadlines, and a projection that ignores order, batching and duplicates', () => {
  let stack: TestStack;
  const hub = (path: string) => `${stack.url('hub')}${path}`;
  const ownership = VALID_EXAMPLES['land.ownership-registered.v1'];

  beforeAll(async () => {
    stack = await TestStack.start([hubService], {
      suffix: '_deadlines',
      env: { DELIVERY_DEADLINE_SECONDS: '1', DEADLINE_CHECK_SECONDS: '1' },
    });
  });

  afterAll(() => stack.close());

  const receipt = (
    eventId: string,
    status: ReceiptV1['status'],
    completedAt: Date,
    attempts = 1,
  ): ReceiptV1 => ({
    eventId,
    eventType: 'vn.lgsp.land.ownership-registered.v1',
    consumer: 'population',
    status,
    attempts,
    receivedAt: new Date(completedAt.getTime() - 5).toISOString(),
    completedAt: completedAt.toISOString(),
  });

  /** The event's (one) transaction once it has this status. */
  const reaches = (eventId: string, status: string) =>
    eventually(
      async () => {
        const r = await http<Tx[]>('GET', hub(`/transactions/${eventId}`), undefined, ADMIN);
        return r.body[0]?.status === status ? r.body[0] : undefined;
      },
      { what: `transaction of ${eventId} ${status}` },
    );

  it('times out a transaction without a receipt, and lets a late receipt close it', async () => {
    const published = eventRecord(stack, 'land', 'land.ownership-registered.v1', ownership);
    await produceRaw(published.topic, [published.message]);
    await reaches(published.eventId, 'TIMED_OUT');
    const late = eventRecord(
      stack,
      'population',
      'hub.receipt.v1',
      receipt(published.eventId, 'SUCCESS', new Date()),
    );
    await produceRaw(late.topic, [late.message]);
    const tx = await reaches(published.eventId, 'SUCCESS');
    expect(tx.late).toBe(true);
  });

  it('times out a transaction opened already past its deadline, behind where the check has reached', async () => {
    // An event written to an outbox an hour ago and relayed only now (a relay's backlog).
    const published = eventRecord(stack, 'land', 'land.ownership-registered.v1', ownership);
    const anHourAgo = new Date(Date.now() - 3600_000);
    const headers = published.message.headers as Record<string, string>;
    headers.ce_time = anHourAgo.toISOString();
    await eventually(
      async () => {
        const [w] = await query<{ until: Date }>(
          stack.databaseUrl('hub'),
          'SELECT checked_until AS until FROM deadline_watermark',
        );
        return new Date(w.until) > anHourAgo ? true : undefined;
      },
      { what: 'the deadline check past the event’s publication', timeoutMs: 30_000 },
    );
    await produceRaw(published.topic, [published.message]);
    await reaches(published.eventId, 'TIMED_OUT');
  });

  it('reaches the same state whatever the order, batching and duplication of the records', async () => {
    const recordExchange = stack.service('hub').app.get(RecordExchangeUseCase);
    const inbound = asInbound();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 3 }),
        fc.integer({ min: 1, max: 4 }),
        async (order, duplicates, batchSize) => {
          const published = eventRecord(stack, 'land', 'land.ownership-registered.v1', {
            ...ownership,
            registrationId: randomUUID(),
          });
          const t = Date.now();
          const records = [
            published,
            eventRecord(
              stack,
              'population',
              'hub.receipt.v1',
              receipt(published.eventId, 'FAILED', new Date(t + 10)),
            ),
            eventRecord(
              stack,
              'population',
              'hub.receipt.v1',
              receipt(published.eventId, 'SUCCESS', new Date(t + 20), 2),
            ),
          ];
          const sent = records
            .map((r, i) => ({ r, k: order[i] }))
            .sort((a, b) => a.k - b.k)
            .map(({ r }) => r)
            .concat(duplicates.map((i) => records[i]))
            .map(inbound);
          for (let i = 0; i < sent.length; i += batchSize)
            await recordExchange.record(sent.slice(i, i + batchSize));

          const [tx] = await query<{ status: string; attempts: number; published_at: Date | null }>(
            stack.databaseUrl('hub'),
            'SELECT status, attempts, published_at FROM transactions WHERE event_id = $1',
            [published.eventId],
          );
          const [{ n }] = await query<{ n: string }>(
            stack.databaseUrl('hub'),
            'SELECT count(*) AS n FROM log_entries WHERE event_id = $1',
            [published.eventId],
          );
          return (
            tx.status === 'SUCCESS' && tx.attempts === 2 && tx.published_at !== null && n === '3'
          );
        },
      ),
      { numRuns: 25 },
    );
  });
});
