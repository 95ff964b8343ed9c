import type { ReplayRequestedV1 } from '@lgsp/contracts';
import { returning } from '@lgsp/persistence';
import { RetryLaterError } from '../errors';
import type { EventContext } from './inbound';
import { type BatchDeps, runSubscriberBatch } from './subscriber-batch';

interface DeadLetterRow {
  id: string;
  event_id: string;
  topic: string;
  kafka_partition: number;
  kafka_offset: string;
  key: string | null;
  headers: Record<string, string>;
  value: Buffer | null;
  attempts: number;
}

/**
 * Runs this consumer's dead letters for the requested events again, from its own copy,
 * inside the replay request's transaction. Each gets a new receipt; one that fails again
 * becomes a new dead letter. When a dependency holds the first back (`RetryLaterError`) the
 * request is handled again, whole, after the time asked; when it holds one back later in
 * the request, those before it are replayed and the rest stay dead letters.
 */
export async function replayDeadLetters(
  req: ReplayRequestedV1,
  ctx: EventContext,
  deps: BatchDeps,
  patternOfTopic: (topic: string) => string | undefined,
): Promise<void> {
  if (req.consumer !== deps.system) return;
  const rows = await returning<DeadLetterRow>(
    ctx.manager,
    `UPDATE dead_letters SET replayed_at = now()
      WHERE id IN (SELECT id FROM dead_letters
                    WHERE event_id = ANY($1) AND replayed_at IS NULL ORDER BY id FOR UPDATE)
      RETURNING id, event_id, topic, kafka_partition, kafka_offset::text, key, headers, value, attempts`,
    [req.eventIds],
  );
  const candidates = rows
    .sort((a, b) => Number(a.id) - Number(b.id))
    .flatMap((r) => {
      const pattern = patternOfTopic(r.topic);
      if (!pattern) return [];
      const message = {
        topic: r.topic,
        partition: r.kafka_partition,
        offset: r.kafka_offset,
        key: r.key,
        headers: r.headers,
        value: r.value,
        timestamp: String(Date.now()),
      };
      return [{ message, pattern, replay: { priorAttempts: r.attempts } }];
    });
  deps.logger.info(
    { requestId: req.requestId, requested: req.eventIds.length, found: candidates.length },
    'replaying dead letters',
  );
  if (candidates.length === 0) return;
  const result = await runSubscriberBatch(deps, ctx.manager, candidates);
  if (result.settled === candidates.length) return;
  // A dependency held one back ("later"). Nothing replayed yet: the whole request is handled
  // again when it asked. Some replayed: they stay so, and the rest stay dead letters, to be
  // replayed again (never the same ones over and over under a rate limit).
  if (result.settled === 0)
    throw new RetryLaterError(
      `replay of ${candidates.length} dead letters held back by a dependency`,
      result.retryInMs ?? 1000,
    );
  const rest = candidates.slice(result.settled).map((c) => c.message);
  const restIds = rows
    .filter((r) =>
      rest.some(
        (m) =>
          m.topic === r.topic && m.partition === r.kafka_partition && m.offset === r.kafka_offset,
      ),
    )
    .map((r) => r.id);
  await ctx.manager.query('UPDATE dead_letters SET replayed_at = NULL WHERE id = ANY($1)', [
    restIds,
  ]);
  deps.logger.warn(
    { requestId: req.requestId, replayed: result.settled, left: restIds.length },
    'a dependency held part of a replay back; those dead letters wait for another replay',
  );
}
