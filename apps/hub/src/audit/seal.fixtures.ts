import { createHash } from 'node:crypto';
import type { SealableEntry } from './merkle';

/** Test data for the sealing specs: SHA-256 in hex, and a synthetic log entry. */
export const sha = (...parts: (string | Buffer)[]): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

/** A log entry with every sealed field filled, distinct per id; `over` replaces fields. */
export function entry(id: number, over: Partial<SealableEntry> = {}): SealableEntry {
  return {
    id: String(id),
    recordId: `record-${id}`,
    kind: 'EVENT',
    eventId: `event-${id}`,
    eventType: 'test.something-happened.v1',
    serviceCode: 'SVC-TEST',
    provider: 'provider-a',
    consumer: 'consumer-b',
    status: 'DELIVERED',
    errorCode: null,
    reason: null,
    subjectHash: sha(`subject-${id % 4}`),
    correlationId: `corr-${id}`,
    payloadSha256: sha(`payload-${id}`),
    outcome: null,
    occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, id, 123)),
    topic: 'test.events',
    kafkaPartition: id % 3,
    kafkaOffset: String(1000 + id),
    ...over,
  };
}
