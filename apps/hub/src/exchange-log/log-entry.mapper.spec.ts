import { type ReceiptV1, VALID_EXAMPLES } from '@lgsp/contracts';
import { type InboundMessage, OutboxWriter } from '@lgsp/messaging';
import { randomUUID } from 'node:crypto';
import type { Route } from '../catalogue/catalogue.service';
import { StoredValues } from '../privacy/stored-values';
import { toLogEntry } from './log-entry.mapper';

const OWNERSHIP = 'land.ownership-registered.v1';
const POPULATION = { consumer: 'population', termsId: 1 };
const routes = new Map<string, Route>([
  [OWNERSHIP, { service: 'ownership-registration', provider: 'land', subscribers: [POPULATION] }],
]);

const values = new StoredValues('spec-key-0123456789');

/** The broker's append time of every record below. */
const APPENDED = Date.parse('2026-11-20T03:00:00.000Z');
const SKEW_MS = 48_000;

/** A record `system` produced with its own clock reading `ceTime`, appended at `appendedAt`. */
function record(system: string, type: string, data: object, ceTime: number, appendedAt = APPENDED) {
  const writer = new OutboxWriter({
    system,
    provinceCode: '01',
    topicPrefix: 'spec.',
    subjectHashKey: 'spec-key-0123456789',
  });
  const { envelope, message } = writer.build({ type, data, correlationId: randomUUID() });
  const inbound: InboundMessage = {
    topic: message.topic,
    partition: 0,
    offset: '7',
    key: message.key,
    headers: { ...message.headers, ce_time: new Date(ceTime).toISOString() },
    value: message.payload,
    timestamp: String(appendedAt),
  };
  return { inbound, eventId: envelope.id };
}

function receipt(eventId: string, completedAt: number): ReceiptV1 {
  return {
    eventId,
    eventType: 'vn.lgsp.land.ownership-registered.v1',
    consumer: 'population',
    status: 'SUCCESS',
    attempts: 1,
    receivedAt: new Date(completedAt - 5).toISOString(),
    completedAt: new Date(completedAt).toISOString(),
  };
}

describe('the time of a log entry, against a producer clock running ahead', () => {
  it('takes the broker append time for a publication 48 s ahead of it, and keeps the skew', () => {
    const { inbound } = record('land', OWNERSHIP, VALID_EXAMPLES[OWNERSHIP], APPENDED + SKEW_MS);
    const entry = toLogEntry(inbound, routes, values);
    expect(entry.kind).toBe('PUBLISHED');
    expect(entry.occurredAt.getTime()).toBe(APPENDED);
    expect(entry.clockSkewMs).toBe(SKEW_MS);
  });

  it('leaves a publication whose time precedes its append time as it is', () => {
    const ceTime = APPENDED - 30;
    const { inbound } = record('land', OWNERSHIP, VALID_EXAMPLES[OWNERSHIP], ceTime);
    const entry = toLogEntry(inbound, routes, values);
    expect(entry.occurredAt.getTime()).toBe(ceTime);
    expect(entry).not.toHaveProperty('clockSkewMs');
  });

  it('leaves a time a few ms ahead (ordinary clock jitter, within the tolerance) as it is', () => {
    const { inbound } = record('land', OWNERSHIP, VALID_EXAMPLES[OWNERSHIP], APPENDED + 20);
    const entry = toLogEntry(inbound, routes, values);
    expect(entry.occurredAt.getTime()).toBe(APPENDED + 20);
    expect(entry.clockSkewMs).toBeUndefined();
  });

  it('takes the broker time for a receipt completed 48 s ahead, moving its reception back as far', () => {
    const completedAt = APPENDED + SKEW_MS;
    const { inbound } = record(
      'population',
      'hub.receipt.v1',
      receipt(randomUUID(), completedAt),
      completedAt,
    );
    const entry = toLogEntry(inbound, routes, values);
    expect(entry.kind).toBe('RECEIPT');
    expect(entry.occurredAt.getTime()).toBe(APPENDED);
    expect(entry.receipt?.receivedAt.getTime()).toBe(APPENDED - 5);
    expect(entry.clockSkewMs).toBe(SKEW_MS);
  });

  it('gives a positive latency where the skewed clock alone would have given −47,957 ms', () => {
    const published = record('land', OWNERSHIP, VALID_EXAMPLES[OWNERSHIP], APPENDED + SKEW_MS);
    const completedAt = APPENDED + 43; // the consumer's clock is right
    const done = record(
      'population',
      'hub.receipt.v1',
      receipt(published.eventId, completedAt),
      completedAt,
      APPENDED + 45,
    );
    const latency =
      toLogEntry(done.inbound, routes, values).occurredAt.getTime() -
      toLogEntry(published.inbound, routes, values).occurredAt.getTime();
    expect(completedAt - (APPENDED + SKEW_MS)).toBe(-47_957);
    expect(latency).toBe(43);
  });
});
