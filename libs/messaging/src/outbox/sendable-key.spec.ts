import { Partitioners } from 'kafkajs';
import { MAX_SENT_KEY_BYTES, sendableKey } from './sendable-key';

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
