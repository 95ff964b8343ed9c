import { ReadProgress, readHorizon } from './read-progress';

const A = 'lgsp.a.receipt.v1';
const B = 'lgsp.b.receipt.v1';

/** A broker's answers: committed offsets of the group, and each partition's low/high. */
function admin(committed: Record<string, string[]>, ends: Record<string, [string, string][]>) {
  return {
    fetchOffsets: ({ topics }: { topics?: string[] }) =>
      Promise.resolve(
        (topics ?? []).map((topic) => ({
          topic,
          partitions: (committed[topic] ?? []).map((offset, partition) => ({
            partition,
            offset,
            metadata: null,
          })),
        })),
      ),
    fetchTopicOffsets: (topic: string) =>
      Promise.resolve(
        ends[topic].map(([low, high], partition) => ({ partition, offset: high, low, high })),
      ),
  };
}

function progress(): ReadProgress {
  const p = new ReadProgress();
  p.consumer = { groupId: 'lgsp.hub', topics: [A, B] };
  return p;
}

describe('readHorizon', () => {
  const now = 1_800_000_000_000;

  it('is now when every partition is read to its end', async () => {
    const broker = admin(
      { [A]: ['10', '3'], [B]: ['-1'] },
      {
        [A]: [
          ['0', '10'],
          ['0', '3'],
        ],
        [B]: [['0', '0']],
      },
    );
    expect(await readHorizon(broker, progress(), now)).toBe(now);
  });

  it('is the last record read on the partition furthest behind', async () => {
    const p = progress();
    p.note(A, 0, now - 4000);
    p.note(A, 1, now - 9000);
    p.note(A, 1, now - 12_000); // an older time never moves it back
    const broker = admin(
      { [A]: ['10', '3'], [B]: ['7'] },
      {
        [A]: [
          ['0', '12'],
          ['0', '5'],
        ],
        [B]: [['0', '7']],
      },
    );
    expect(await readHorizon(broker, p, now)).toBe(now - 9000);
  });

  it('is not known while a partition that is behind has not been read since start', async () => {
    const p = progress();
    p.note(A, 0, now - 1000);
    const broker = admin(
      { [A]: ['10', '-1'], [B]: ['0'] },
      {
        [A]: [
          ['0', '12'],
          ['0', '0'],
        ],
        [B]: [['0', '4']],
      },
    );
    expect(await readHorizon(broker, p, now)).toBeUndefined();
  });

  it('counts a group that never committed from the beginning of the partition', async () => {
    const p = progress();
    const broker = admin(
      { [A]: ['-1', '-1'], [B]: ['-1'] },
      {
        [A]: [
          ['5', '5'],
          ['0', '0'],
        ],
        [B]: [['2', '3']],
      },
    );
    expect(await readHorizon(broker, p, now)).toBeUndefined();
    p.note(B, 0, now - 300);
    expect(await readHorizon(broker, p, now)).toBe(now - 300);
  });

  it('is not known before the consumer has started', async () => {
    expect(await readHorizon(admin({}, {}), new ReadProgress(), now)).toBeUndefined();
  });
});
