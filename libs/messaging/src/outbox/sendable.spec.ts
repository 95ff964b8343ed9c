import { Partitioners } from 'kafkajs';
import {
  MAX_RECORD_BYTES,
  MAX_SENT_KEY_BYTES,
  recordBytes,
  sendableKey,
  sendablePrefix,
  withinRecordLimit,
} from './sendable';

describe('sendableKey', () => {
  it('sends the keys the services choose, and no key, as they are', () => {
    const subjectKey = 'ab'.repeat(32);
    expect(sendableKey(subjectKey)).toBe(subjectKey);
    expect(sendableKey(null)).toBeNull();
    expect(sendableKey('ễ'.repeat(MAX_SENT_KEY_BYTES / 3))).toBe(
      'ễ'.repeat(MAX_SENT_KEY_BYTES / 3),
    );
  });

  it('sends a longer key as its hash, the same for the same key', () => {
    const hostile = '😀'.repeat(175_000);
    const sent = sendableKey(hostile)!;
    expect(sent).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(sendableKey(`${hostile}`)).toBe(sent);
    expect(sendableKey(`${hostile}x`)).not.toBe(sent);
  });

  it('keeps the default partitioner quick on any key it is given', () => {
    const partition = Partitioners.DefaultPartitioner();
    const started = process.hrtime.bigint();
    for (const size of [10_000, 100_000, 700_000]) {
      partition({
        topic: 't',
        partitionMetadata: [0, 1, 2].map((p) => ({
          partitionId: p,
          leader: 0,
          partitionErrorCode: 0,
          replicas: [0],
          isr: [0],
        })),
        message: { key: sendableKey('k'.repeat(size)), value: 'v' },
      });
    }
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
  });
});

describe('sendablePrefix', () => {
  const weigh = (n: number) => n;

  it('takes rows in order up to the budget, and at least one', () => {
    expect(sendablePrefix([400_000, 400_000, 400_000], weigh)).toEqual([400_000, 400_000]);
    expect(sendablePrefix([1_000_000, 10], weigh)).toEqual([1_000_000]);
    expect(sendablePrefix([10, 20, 30], weigh)).toEqual([10, 20, 30]);
    expect(sendablePrefix([], weigh)).toEqual([]);
  });
});

describe('withinRecordLimit', () => {
  const deadLetter = (valueBytes: number, headerBytes = 0) => ({
    topic: 'lgsp.population.dlq.v1',
    key: 'k',
    payload: Buffer.alloc(valueBytes, 120),
    headers: {
      ce_id: 'x',
      'x-pad': 'h'.repeat(headerBytes),
      lgsp_dlq_consumer: 'population',
      lgsp_dlq_error_code: 'ENVELOPE.TOO_LARGE',
    },
  });

  it('sends a dead-letter copy that the broker takes as it is', () => {
    const m = deadLetter(1_000_100 - 60_000);
    expect(withinRecordLimit(m)).toBe(m);
  });

  it('sends a heavier one without the value and headers the dead-letter table keeps', () => {
    const m = withinRecordLimit(deadLetter(1_000_100, 45_000));
    expect(m.payload).toBeNull();
    expect(Object.keys(m.headers).sort()).toEqual([
      'lgsp_dlq_consumer',
      'lgsp_dlq_error_code',
      'lgsp_dlq_omitted',
    ]);
    expect(recordBytes(m)).toBeLessThan(MAX_RECORD_BYTES);
  });

  it('leaves any other message alone', () => {
    const headers = { ce_id: 'x', ce_type: 'vn.lgsp.land.ownership-registered.v1' };
    const event = { topic: 't', key: 'k', payload: Buffer.alloc(1_100_000), headers };
    expect(withinRecordLimit(event)).toBe(event);
  });
});
