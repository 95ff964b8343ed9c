/**
 * kafkajs 2.2.4 keeps a timer loop running on every broker connection, busy or not: its
 * request queue schedules a check of its pending requests after every check, and with no
 * throttle in force the delay it computes is negative, so the check runs again after 1 ms,
 * for ever (kafkajs issues #1556 and #1704). On this stack that is about 1,500 wake-ups a
 * second in each process, and a few per cent of a core in each, idle or loaded.
 *
 * The fix keeps kafkajs's own rules and drops only the loop: a check is scheduled when a
 * request is actually waiting — at the end of a client-side throttle, or after kafkajs's
 * own short interval when it waits for a free in-flight slot (a reply that frees one checks
 * the queue anyway). A request pushed onto an empty queue schedules its check itself.
 *
 * Applied once per process, to the kafkajs version it was written against only.
 */
import { createRequire } from 'node:module';

/** The request queue's fields and methods the fix touches (kafkajs internals). */
interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's own interval (CHECK_PENDING_REQUESTS_INTERVAL) for a queue waiting on a slot. */
const CHECK_PENDING_MS = 10;
export const FIXED_KAFKAJS_VERSION = '2.2.4';

let applied: boolean | undefined;

function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const throttled = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    throttled > 0 ? throttled : CHECK_PENDING_MS,
  );
}

/**
 * Replaces the looping scheduler of kafkajs's request queue; answers whether the fix is in
 * place (false for another kafkajs version, which is left as it is).
 */
export function fixKafkajsRequestQueue(): boolean {
  if (applied !== undefined) return applied;
  const load = createRequire(__filename);
  const { version } = load('kafkajs/package.json') as { version: string };
  applied = version === FIXED_KAFKAJS_VERSION;
  if (applied) {
    const RequestQueue = load('kafkajs/src/network/requestQueue') as {
      prototype: RequestQueueInternals;
    };
    RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  }
  return applied;
}
