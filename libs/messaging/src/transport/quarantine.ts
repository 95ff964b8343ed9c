import type { EntityManager } from 'typeorm';
import { recordId } from './inbound-decoder';
import type { InboundMessage } from './inbound';
import type { BatchDeps } from './subscriber-batch';

// eslint-disable-next-line no-control-regex
const NUL = /\u0000/g;

/** Text PostgreSQL can store: NUL characters are replaced. */
const storable = (s: string) => s.replace(NUL, '\uFFFD');

/**
 * The last resort for a record that makes its whole batch fail, again and again, for a
 * reason the normal path cannot record (an unstorable header, an unforeseen error): it is
 * set aside as REJECTED with `CONSUMER.UNPROCESSABLE` — processed-event record, receipt,
 * dead letter (value as it came, headers made storable) — so the partition goes on.
 */
export async function quarantine(
  manager: EntityManager,
  deps: BatchDeps,
  m: InboundMessage,
  error: unknown,
): Promise<void> {
  const id = storable(recordId(m)).slice(0, 200);
  const reason = storable(
    `could not be processed: ${error instanceof Error ? error.message : String(error)}`,
  ).slice(0, 1000);
  const headers = Object.fromEntries(
    Object.entries(m.headers).map(([k, v]) => [storable(k), storable(v)]),
  );
  deps.logger.error(
    { eventId: id, topic: m.topic, partition: m.partition, offset: m.offset, reason },
    'message quarantined',
  );
  const fresh: unknown[] = await manager.query(
    `INSERT INTO processed_events (consumer, event_id, outcome) VALUES ($1, $2, 'REJECTED')
     ON CONFLICT (consumer, event_id) DO UPDATE SET outcome = 'REJECTED' RETURNING event_id`,
    [deps.system, id],
  );
  if (fresh.length === 0) return;
  const code = 'CONSUMER.UNPROCESSABLE';
  await deps.outbox.enqueue(manager, [
    deps.outbox.receipt(
      {
        eventId: id,
        consumer: deps.system,
        status: 'REJECTED',
        errorCode: code,
        reason,
        attempts: deps.maxAttempts,
        receivedAt: new Date().toISOString(),
        completedAt: new Date().toISOString(),
      },
      { correlationId: id, key: m.key ? storable(m.key) : null },
    ),
    {
      topic: deps.outbox.deadLetterTopic(),
      key: m.key ? storable(m.key) : null,
      headers: {
        ...headers,
        lgsp_dlq_consumer: deps.system,
        lgsp_dlq_status: 'REJECTED',
        lgsp_dlq_error_code: code,
        lgsp_dlq_reason: reason,
        lgsp_dlq_original_topic: m.topic,
        lgsp_dlq_original_partition: String(m.partition),
        lgsp_dlq_original_offset: m.offset,
      },
      payload: m.value,
    },
  ]);
  await manager.query(
    `INSERT INTO dead_letters (event_id, topic, kafka_partition, kafka_offset, key, headers, value,
                               status, error_code, reason, attempts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'REJECTED', $8, $9, $10)`,
    [
      id,
      m.topic,
      m.partition,
      m.offset,
      m.key ? storable(m.key) : null,
      JSON.stringify(headers),
      m.value,
      code,
      reason,
      deps.maxAttempts,
    ],
  );
}
