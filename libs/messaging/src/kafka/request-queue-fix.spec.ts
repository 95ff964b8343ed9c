import { createRequire } from 'node:module';
import { fixKafkajsRequestQueue } from './request-queue-fix';

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  destroy(): void;
}

const RequestQueue = createRequire(__filename)('kafkajs/src/network/requestQueue') as new (o: {
  maxInFlightRequests: number;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  clientId: string;
  broker: string;
  logger: { debug(): void };
}) => Queue;

const aQueue = () =>
  new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'spec',
    broker: 'localhost:9092',
    logger: { debug: () => undefined },
  });

describe("kafkajs's request queue, fixed", () => {
  beforeAll(() => expect(fixKafkajsRequestQueue()).toBe(true));
  afterEach(() => jest.useRealTimers());

  it('runs no timer while nothing waits (kafkajs 2.2.4 checked again every millisecond)', () => {
    jest.useFakeTimers();
    const q = aQueue();
    q.checkPendingRequests(); // what a reply does: kafkajs then kept rescheduling itself
    expect(q.throttleCheckTimeoutId).toBeNull();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('checks a waiting request again when the throttle ends, and sends it then', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const q = aQueue();
    const sent: string[] = [];
    const request = { send: () => sent.push('sent'), expectResponse: true, correlationId: 1 };
    (q as unknown as { sendSocketRequest(r: unknown): void }).sendSocketRequest = (r) =>
      (r as typeof request).send();
    q.throttledUntil = Date.now() + 250;
    q.pending.push(request);
    q.checkPendingRequests();
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(249);
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(sent).toEqual(['sent']);
    // Nothing left waiting: no timer left either.
    expect(q.pending).toHaveLength(0);
    expect(jest.getTimerCount()).toBe(0);
    q.destroy();
  });

  it('checks a request that waits for an in-flight slot after a short interval, not in a loop', () => {
    jest.useFakeTimers();
    const q = aQueue();
    (q as unknown as { inflight: Map<number, unknown> }).inflight.set(7, {});
    q.pending.push({ correlationId: 8 });
    q.checkPendingRequests();
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(10);
    // Still no slot: one timer again, not many.
    expect(jest.getTimerCount()).toBe(1);
    q.destroy();
    expect(jest.getTimerCount()).toBe(0);
  });
});
