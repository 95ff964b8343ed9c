import type { InboundMessage } from '@lgsp/messaging';
import { createHash } from 'node:crypto';
import { HUB_CONSUMER, type NewLogEntry } from './log-entry.mapper';

/** The code of a record the hub could read off the broker but not log as it came. */
export const UNSTORABLE_RECORD = 'HUB.UNSTORABLE_RECORD';

/**
 * SQLSTATE classes that say nothing about the records being written: connection, resources,
 * operator intervention, system errors, serialisation failures and deadlocks, a lock wait.
 */
const PASSING_FAILURE = /^(08|40|53|57|58|55P03)/;

/** The SQLSTATE of a database error (TypeORM keeps the driver's error beside its own). */
function sqlStateOf(e: unknown): string | undefined {
  const { code, driverError } = (e ?? {}) as { code?: unknown; driverError?: { code?: unknown } };
  const state = driverError?.code ?? code;
  return typeof state === 'string' && /^[0-9A-Z]{5}$/.test(state) ? state : undefined;
}

/** A failure that will pass (trying again is the cure), as opposed to one a record causes. */
export function isPassingFailure(e: unknown): boolean {
  const state = sqlStateOf(e);
  return state !== undefined && PASSING_FAILURE.test(state);
}

/** The lowest and highest times PostgreSQL and `Date#toISOString` both write as they read. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

/**
 * The entry that stands for a record which failed to be logged on its own (a value the
 * database refuses, a time out of its range, a field it cannot index): REJECTED with
 * `HUB.UNSTORABLE_RECORD`, made only of what the hub computes — its Kafka position as its
 * id, its payload's SHA-256, the broker's timestamp held within range so that reading the
 * record again finds the same entry. The reason names the failure's kind, not its message,
 * which may quote the value.
 */
export function unstorableEntry(m: InboundMessage, error: unknown): NewLogEntry {
  const position = `${m.topic}/${m.partition}/${m.offset}`;
  const appended = Number(m.timestamp);
  const at = Number.isFinite(appended) ? Math.min(Math.max(appended, EARLIEST), LATEST) : EARLIEST;
  const state = sqlStateOf(error);
  const kind = state ? `SQLSTATE ${state}` : error instanceof Error ? error.name : 'unknown';
  return {
    recordId: position,
    kind: 'REJECTED',
    eventId: position,
    eventType: null,
    serviceCode: null,
    provider: null,
    consumer: HUB_CONSUMER,
    status: 'REJECTED',
    errorCode: UNSTORABLE_RECORD,
    reason: `the record could not be logged as it came (${kind})`,
    subjectHash: null,
    correlationId: null,
    payloadSha256: m.value ? createHash('sha256').update(m.value).digest('hex') : null,
    occurredAt: new Date(at),
    topic: m.topic,
    kafkaPartition: m.partition,
    kafkaOffset: m.offset,
  };
}
