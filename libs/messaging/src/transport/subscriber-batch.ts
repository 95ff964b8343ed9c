import { returning } from '@lgsp/persistence';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '../envelope';
import { PermanentError, RetryLaterError } from '../errors';
import type { OutboxWriter, RawOutboxMessage } from '../outbox/outbox.writer';
import { backoffDelay } from './backoff';
import { type BatchItem, EventContext, type InboundMessage, SetContext } from './inbound';
import { decodeInbound, type Decoded, recordId } from './inbound-decoder';

export type Outcome = 'SUCCESS' | 'FAILED' | 'REJECTED';

/** A record to handle; `priorAttempts` is set when an operator replays a dead letter. */
export interface Candidate {
  message: InboundMessage;
  pattern: string;
  replay?: { priorAttempts: number };
}

export interface BatchDeps {
  system: string;
  outbox: OutboxWriter;
  logger: Logger;
  maxAttempts: number;
  /** Transient failures so far, by event id, across batches. */
  attempts: Map<string, number>;
  invoke(pattern: string, payload: object, ctx: EventContext): Promise<void>;
  /** The set handler of a pattern, when it has one (`@OnEvent(type, { batch: true })`). */
  setHandler?(
    pattern: string,
  ): ((items: BatchItem[], ctx: SetContext) => Promise<void>) | undefined;
}

export interface BatchResult {
  /** How many candidates, from the first, are settled (applied, refused or duplicates). */
  settled: number;
  outcomes: (Outcome | 'DUPLICATE')[];
  /** Set when a transient failure stopped the batch at candidate `settled`. */
  retryInMs?: number;
}

interface Pending {
  outcomes: { eventId: string; outcome: Outcome }[];
  outbox: RawOutboxMessage[];
  deadLetters: unknown[][];
}

/**
 * Handles candidates in order inside the caller's database transaction. All event ids
 * are claimed in one statement (the processed-event record is the idempotency key).
 * A pattern with a set handler gets all its live records at once, under one savepoint;
 * otherwise — or when the set handler fails as a whole — each record's handler runs under
 * a savepoint of its own, so that a bad record is isolated and the rest still applied.
 * Outcomes, receipts, dead letters and their copies on the dead-letter topic are written
 * in one statement each at the end.
 *
 * A batch that throws (its transaction is then rolled back) leaves the attempts counted for
 * its records as they were: a record whose retries ran out in a batch that another record
 * then failed as a whole must not start its retries over, or the two would take turns for
 * ever and the partition would never get to the one-by-one path that sets the other aside.
 */
export async function runSubscriberBatch(
  deps: BatchDeps,
  manager: EntityManager,
  candidates: Candidate[],
): Promise<BatchResult> {
  const ids = candidates.map((c) => recordId(c.message));
  const counted = ids.map((id) => [id, deps.attempts.get(id)] as const);
  try {
    return await runBatch(deps, manager, candidates);
  } catch (e) {
    for (const [id, n] of counted) {
      if (n === undefined) deps.attempts.delete(id);
      else deps.attempts.set(id, n);
    }
    throw e;
  }
}

async function runBatch(
  deps: BatchDeps,
  manager: EntityManager,
  candidates: Candidate[],
): Promise<BatchResult> {
  const receivedAt = new Date().toISOString();
  const decoded = candidates.map((c) => decodeInbound(c.message, c.pattern));
  const replay = candidates.some((c) => c.replay);
  const handler = setHandlerOf(deps, candidates);
  // A set batch claims its records as applied at once (the usual outcome), so that only
  // refusals need a second write; nothing of it is visible before the batch commits.
  const provisional = handler ? 'SUCCESS' : 'PENDING';
  const claimed = await claim(
    manager,
    deps.system,
    decoded.map((d) => d.eventId),
    replay,
    provisional,
  );
  const set = handler
    ? await runAsSet(deps, handler, manager, candidates, decoded, claimed, receivedAt)
    : undefined;
  if (set && 'later' in set) {
    // The whole batch waits, unclaimed and uncharged, as long as the dependency asked.
    await manager.query(
      `DELETE FROM processed_events WHERE consumer = $1 AND event_id = ANY($2) AND outcome = $3`,
      [deps.system, [...claimed], provisional],
    );
    const retryInMs = laterDelay(set.later);
    deps.logger.warn(
      { records: candidates.length, retryInMs, err: set.later.message },
      'a dependency asks to retry later',
    );
    return { settled: 0, outcomes: [], retryInMs };
  }
  if (set) {
    await write(manager, deps, set.pending);
    return set.result;
  }
  // The set handler was tried and failed: that try counts for the first record handled
  // below, even if its own turn is then held back ("later") by what made the set fail.
  let setTryUncounted = handler !== undefined;
  const pending: Pending = { outcomes: [], outbox: [], deadLetters: [] };
  const result: BatchResult = { settled: 0, outcomes: [] };

  for (const [i, c] of candidates.entries()) {
    const d = decoded[i];
    if (!claimed.delete(d.eventId)) {
      result.outcomes.push('DUPLICATE');
      result.settled++;
      continue;
    }
    const prior = c.replay?.priorAttempts ?? 0;
    if (!d.ok) {
      refuse(
        deps,
        pending,
        c.message,
        d,
        'REJECTED',
        d.error.code,
        d.error.message,
        prior + 1,
        receivedAt,
      );
      result.outcomes.push('REJECTED');
      result.settled++;
      continue;
    }
    const attempt = prior + (deps.attempts.get(d.eventId) ?? 0) + 1;
    const firstAfterSet = setTryUncounted;
    setTryUncounted = false;
    await manager.query('SAVEPOINT lgsp_message');
    try {
      await deps.invoke(
        c.pattern,
        d.payload,
        new EventContext(d.envelope, c.message, manager, deps.outbox),
      );
      await manager.query('RELEASE SAVEPOINT lgsp_message');
      deps.attempts.delete(d.eventId);
      pending.outcomes.push({ eventId: d.eventId, outcome: 'SUCCESS' });
      pending.outbox.push(receipt(deps, d.envelope, c.message, 'SUCCESS', attempt, receivedAt));
      result.outcomes.push('SUCCESS');
      result.settled++;
    } catch (e) {
      await manager.query('ROLLBACK TO SAVEPOINT lgsp_message');
      await manager.query('RELEASE SAVEPOINT lgsp_message');
      const reason = e instanceof Error ? e.message : String(e);
      // Not tried (a dependency said "later"): not an attempt, not even for a replay.
      const later = e instanceof RetryLaterError && !firstAfterSet;
      let code = e instanceof PermanentError ? e.code : undefined;
      if (!code && !later && (c.replay || attempt - prior >= deps.maxAttempts))
        code = 'DELIVERY.RETRIES_EXHAUSTED';
      if (!code) {
        // Transient: nothing from here on is settled; the partition comes back to it.
        if (!later) deps.attempts.set(d.eventId, attempt - prior);
        const unclaimed = [d.eventId, ...claimed];
        await manager.query(
          `DELETE FROM processed_events WHERE consumer = $1 AND event_id = ANY($2) AND outcome = $3`,
          [deps.system, unclaimed, provisional],
        );
        result.retryInMs =
          e instanceof RetryLaterError ? laterDelay(e) : backoffDelay(attempt - prior);
        deps.logger.warn(
          {
            eventId: d.eventId,
            attempt,
            counted: !later,
            retryInMs: result.retryInMs,
            err: reason,
          },
          later ? 'a dependency asks to retry later' : 'handler failed; will retry',
        );
        break;
      }
      deps.attempts.delete(d.eventId);
      refuse(deps, pending, c.message, d, 'FAILED', code, reason, attempt, receivedAt);
      result.outcomes.push('FAILED');
      result.settled++;
    }
  }
  await write(manager, deps, pending);
  return result;
}

type SetHandler = NonNullable<ReturnType<NonNullable<BatchDeps['setHandler']>>>;

/** The longest a dependency may hold a partition back in one go; it is asked again after. */
export const MAX_RETRY_LATER_MS = 5 * 60_000;

/** How long to wait for a dependency that said "later": as asked, within sensible bounds. */
function laterDelay(e: RetryLaterError): number {
  const asked = Number.isFinite(e.retryInMs) ? e.retryInMs : MAX_RETRY_LATER_MS;
  return Math.min(MAX_RETRY_LATER_MS, Math.max(asked, backoffDelay(1)));
}

/**
 * The set handler for these candidates, if they go the set path: all of one pattern that
 * has one, and no replay among them (rare; one by one is simpler to reason about).
 */
function setHandlerOf(deps: BatchDeps, candidates: Candidate[]): SetHandler | undefined {
  const pattern = candidates[0]?.pattern;
  const handler = pattern ? deps.setHandler?.(pattern) : undefined;
  if (!handler || candidates.some((c) => c.replay || c.pattern !== pattern)) return undefined;
  return handler;
}

/**
 * The set path: one call of the set handler for every claimed, readable record. Returns
 * nothing — and leaves the transaction as it found it — when the handler throws: then the
 * caller goes one by one; or, when a dependency held the handler back (`RetryLaterError`),
 * that error: then the whole batch waits. Claims were written as SUCCESS; only refusals are written again.
 */
async function runAsSet(
  deps: BatchDeps,
  handler: SetHandler,
  manager: EntityManager,
  candidates: Candidate[],
  decoded: Decoded[],
  claimed: Set<string>,
  receivedAt: string,
): Promise<{ pending: Pending; result: BatchResult } | { later: RetryLaterError } | undefined> {
  // As one by one: the first record of an id that this batch claimed settles it, readable
  // (live) or not (refused); any later record of the same id is a duplicate.
  const live = new Map<number, BatchItem>();
  const unread = new Set<number>();
  const open = new Set(claimed);
  decoded.forEach((d, i) => {
    if (!open.delete(d.eventId)) return;
    if (d.ok)
      live.set(i, { payload: d.payload, envelope: d.envelope, message: candidates[i].message });
    else unread.add(i);
  });
  const ctx = new SetContext(manager, deps.outbox);
  if (live.size > 0) {
    await manager.query('SAVEPOINT lgsp_set');
    try {
      await handler([...live.values()], ctx);
      await manager.query('RELEASE SAVEPOINT lgsp_set');
    } catch (e) {
      await manager.query('ROLLBACK TO SAVEPOINT lgsp_set');
      await manager.query('RELEASE SAVEPOINT lgsp_set');
      // Held back by a dependency: nothing was tried, so neither is anything one by one.
      if (e instanceof RetryLaterError) return { later: e };
      deps.logger.info(
        { records: live.size, err: e instanceof Error ? e.message : String(e) },
        'set handler failed; handling the records one by one',
      );
      return undefined;
    }
  }
  const pending: Pending = {
    outcomes: [],
    outbox: ctx.followUps([...live.values()]),
    deadLetters: [],
  };
  const result: BatchResult = { settled: candidates.length, outcomes: [] };
  for (const [i, c] of candidates.entries()) {
    const d = decoded[i];
    const item = live.get(i);
    if (!d.ok && unread.has(i)) {
      refuse(deps, pending, c.message, d, 'REJECTED', d.error.code, d.error.message, 1, receivedAt);
      result.outcomes.push('REJECTED');
      continue;
    }
    if (!item) {
      result.outcomes.push('DUPLICATE');
      continue;
    }
    const attempt = (deps.attempts.get(d.eventId) ?? 0) + 1;
    deps.attempts.delete(d.eventId);
    const refusal = ctx.refusalOf(item);
    if (refusal) {
      refuse(
        deps,
        pending,
        c.message,
        d,
        'FAILED',
        refusal.code,
        refusal.message,
        attempt,
        receivedAt,
      );
      result.outcomes.push('FAILED');
      continue;
    }
    pending.outbox.push(receipt(deps, item.envelope, c.message, 'SUCCESS', attempt, receivedAt));
    result.outcomes.push('SUCCESS');
  }
  return { pending, result };
}

/**
 * Claims ids not seen before, with the given outcome until the batch settles them (or, for
 * a replay, ids whose last outcome was not SUCCESS, as PENDING).
 */
async function claim(
  manager: EntityManager,
  system: string,
  ids: string[],
  replay: boolean,
  provisional: 'SUCCESS' | 'PENDING',
): Promise<Set<string>> {
  const rows: { event_id: string }[] = replay
    ? await returning<{ event_id: string }>(
        manager,
        `UPDATE processed_events SET outcome = 'PENDING'
          WHERE consumer = $1 AND event_id = ANY($2) AND outcome IN ('FAILED', 'REJECTED')
          RETURNING event_id`,
        [system, ids],
      )
    : await manager.query(
        `INSERT INTO processed_events (consumer, event_id, outcome)
         SELECT $1, id, $3 FROM unnest($2::text[]) AS id
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [system, ids, provisional],
      );
  return new Set(rows.map((r) => r.event_id));
}

/** FAILED or REJECTED: a receipt, a dead letter kept for replay, and its copy on the dead-letter topic. */
function refuse(
  deps: BatchDeps,
  pending: Pending,
  m: InboundMessage,
  d: Decoded,
  status: 'FAILED' | 'REJECTED',
  code: string,
  reason: string,
  attempts: number,
  receivedAt: string,
): void {
  deps.logger.warn({ eventId: d.eventId, topic: m.topic, status, code, reason }, 'message refused');
  const cause: EventEnvelope = d.ok
    ? d.envelope
    : {
        id: d.eventId,
        type: m.headers.ce_type ?? '',
        source: m.headers.ce_source ?? '',
        time: m.headers.ce_time ?? '',
        correlationId: m.headers.ce_correlationid || d.eventId,
        data: null,
      };
  const why = reason.slice(0, 1000);
  pending.outcomes.push({ eventId: d.eventId, outcome: status });
  pending.outbox.push(receipt(deps, cause, m, status, attempts, receivedAt, code, why), {
    topic: deps.outbox.deadLetterTopic(),
    key: m.key,
    headers: {
      ...m.headers,
      lgsp_dlq_consumer: deps.system,
      lgsp_dlq_status: status,
      lgsp_dlq_error_code: code,
      lgsp_dlq_reason: why,
      lgsp_dlq_attempts: String(attempts),
      lgsp_dlq_original_topic: m.topic,
      lgsp_dlq_original_partition: String(m.partition),
      lgsp_dlq_original_offset: m.offset,
    },
    payload: m.value,
  });
  pending.deadLetters.push([
    d.eventId,
    m.topic,
    m.partition,
    m.offset,
    m.key,
    JSON.stringify(m.headers),
    m.value,
    status,
    code,
    why,
    attempts,
  ]);
}

function receipt(
  deps: BatchDeps,
  cause: EventEnvelope,
  m: InboundMessage,
  status: Outcome,
  attempts: number,
  receivedAt: string,
  errorCode?: string,
  reason?: string,
): RawOutboxMessage {
  return deps.outbox.receipt(
    {
      eventId: cause.id.slice(0, 200),
      eventType: cause.type || undefined,
      consumer: deps.system,
      status,
      errorCode,
      reason,
      attempts,
      receivedAt,
      completedAt: new Date().toISOString(),
    },
    { correlationId: cause.correlationId, key: m.key },
  );
}

async function write(manager: EntityManager, deps: BatchDeps, p: Pending): Promise<void> {
  if (p.outcomes.length > 0) {
    await manager.query(
      `UPDATE processed_events AS p SET outcome = v.outcome, processed_at = now()
         FROM unnest($2::text[], $3::text[]) AS v(event_id, outcome)
        WHERE p.consumer = $1 AND p.event_id = v.event_id`,
      [deps.system, p.outcomes.map((o) => o.eventId), p.outcomes.map((o) => o.outcome)],
    );
  }
  await deps.outbox.enqueue(manager, p.outbox);
  if (p.deadLetters.length > 0) {
    const params: unknown[] = [];
    const rows = p.deadLetters.map((values) => {
      const start = params.length;
      params.push(...values);
      return `(${values.map((_, i) => `$${start + i + 1}`).join(', ')})`;
    });
    await manager.query(
      `INSERT INTO dead_letters (event_id, topic, kafka_partition, kafka_offset, key, headers, value,
                                 status, error_code, reason, attempts)
       VALUES ${rows.join(', ')}`,
      params,
    );
  }
}
