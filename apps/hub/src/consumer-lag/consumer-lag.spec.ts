import type { AccessCatalogue } from '@lgsp/messaging';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { KafkaAccessSettings } from '../catalogue/kafka-access';
import { ConsumerLag, consumerGroups, lagOf, type PartitionEnd } from './consumer-lag';

const CATALOGUE: AccessCatalogue = {
  systems: [
    { code: 'civil-status', status: 'ACTIVE' },
    { code: 'population', status: 'ACTIVE' },
    { code: 'insurance', status: 'ACTIVE' },
    { code: 'land', status: 'DISABLED' },
  ],
  services: [
    {
      code: 'birth-registration',
      eventType: 'civil-status.birth-registered.v1',
      provider: 'civil-status',
    },
    {
      code: 'citizen-registration',
      eventType: 'population.citizen-registered.v1',
      provider: 'population',
    },
    { code: 'citizen-death', eventType: 'population.citizen-deceased.v1', provider: 'population' },
  ],
  subscriptions: [
    { consumer: 'population', service: 'birth-registration', status: 'ACTIVE' },
    { consumer: 'insurance', service: 'citizen-registration', status: 'ACTIVE' },
    { consumer: 'insurance', service: 'citizen-death', status: 'DISABLED' },
    { consumer: 'land', service: 'citizen-death', status: 'ACTIVE' },
  ],
};

describe('the consumer groups whose lag the hub reports', () => {
  it('are the active subscribers’ (with every topic they read) and the hub’s own', () => {
    const groups = consumerGroups(CATALOGUE, 'run7.', ['run7.lgsp.hub.receipts.v1']);
    expect(groups).toEqual([
      { system: 'hub', groupId: 'run7.lgsp.hub', topics: ['run7.lgsp.hub.receipts.v1'] },
      {
        system: 'insurance',
        groupId: 'run7.lgsp.insurance',
        topics: [
          'run7.lgsp.hub.replay-requests.v1',
          'run7.lgsp.population.citizen-deceased.v1',
          'run7.lgsp.population.citizen-registered.v1',
        ],
      },
      {
        system: 'population',
        groupId: 'run7.lgsp.population',
        topics: ['run7.lgsp.civil-status.birth-registered.v1', 'run7.lgsp.hub.replay-requests.v1'],
      },
    ]);
  });
});

describe('a consumer group’s lag: end offsets minus committed offsets', () => {
  const ends = (...parts: [number, number, number][]): PartitionEnd[] =>
    parts.map(([partition, low, high]) => ({ partition, low: String(low), high: String(high) }));

  it('sums per topic the records past the committed offset of each partition', () => {
    const lag = lagOf(
      [
        {
          topic: 'a',
          partitions: [
            { partition: 0, offset: '10' },
            { partition: 1, offset: '7' },
          ],
        },
        { topic: 'b', partitions: [{ partition: 0, offset: '5' }] },
      ],
      new Map([
        ['a', ends([0, 0, 10], [1, 0, 12])],
        ['b', ends([0, 0, 5])],
      ]),
    );
    expect(lag).toEqual({ lag: 5, topics: [{ topic: 'a', lag: 5, partitionsBehind: 1 }] });
  });

  it('counts every record still there on a partition never committed, or committed before the retention', () => {
    const lag = lagOf(
      [{ topic: 'a', partitions: [{ partition: 0, offset: '-1' }] }],
      new Map([['a', ends([0, 3, 9], [1, 100, 140])]]),
    );
    expect(lag).toEqual({ lag: 46, topics: [{ topic: 'a', lag: 46, partitionsBehind: 2 }] });
    const passed = lagOf(
      [{ topic: 'a', partitions: [{ partition: 0, offset: '2' }] }],
      new Map([['a', ends([0, 50, 60])]]),
    );
    expect(passed.lag).toBe(10);
  });

  it('is zero, with no topic listed, when the group is at the end', () => {
    const lag = lagOf(
      [{ topic: 'a', partitions: [{ partition: 0, offset: '9' }] }],
      new Map([['a', ends([0, 0, 9])]]),
    );
    expect(lag).toEqual({ lag: 0, topics: [] });
  });
});

describe('the hub’s consumer-lag reader', () => {
  // The catalogue's rows as readAccessCatalogue asks for them (systems, services, subscriptions).
  const dataSource = {
    query: (sql: string) =>
      Promise.resolve(
        sql.includes('member_systems')
          ? CATALOGUE.systems
          : sql.includes('FROM services')
            ? CATALOGUE.services
            : CATALOGUE.subscriptions,
      ),
  } as unknown as DataSource;
  const logger = { warn: jest.fn() } as unknown as Logger;
  const settings: KafkaAccessSettings = { brokers: 'x:9092', topicPrefix: '' };
  const reader = (admin: Partial<Admin>) => {
    const kafka = { admin: jest.fn(() => admin) };
    return {
      kafka,
      lag: new ConsumerLag(dataSource, kafka as unknown as Kafka, settings, logger),
    };
  };
  const ends = [{ partition: 0, offset: '4', low: '0', high: '4' }];
  const working: Partial<Admin> = {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    listTopics: () =>
      Promise.resolve(['lgsp.civil-status.birth-registered.v1', 'lgsp.hub.replay-requests.v1']),
    fetchTopicOffsets: (topic: string) =>
      Promise.resolve(topic.includes('birth') ? ends : [{ ...ends[0], high: '0', offset: '0' }]),
    describeGroups: (ids: string[]) =>
      Promise.resolve({
        groups: ids.map((groupId) => ({ groupId, state: 'Empty', members: [] })),
      } as unknown as Awaited<ReturnType<Admin['describeGroups']>>),
    fetchOffsets: ({ groupId }: { groupId: string }) =>
      groupId === 'lgsp.insurance'
        ? Promise.reject(Object.assign(new Error('denied'), { type: 'GROUP_AUTHORIZATION_FAILED' }))
        : Promise.resolve([
            {
              topic: 'lgsp.civil-status.birth-registered.v1',
              partitions: [{ partition: 0, offset: '1', metadata: null }],
            },
          ]),
  };

  it('reports each group’s lag, and a group it may not read with its own error', async () => {
    const answer = await reader(working).lag.read();
    expect(answer.groups).toEqual([
      {
        system: 'insurance',
        groupId: 'lgsp.insurance',
        state: 'Empty',
        members: 0,
        lag: null,
        topics: [],
        error: 'GROUP_AUTHORIZATION_FAILED',
      },
      {
        system: 'population',
        groupId: 'lgsp.population',
        state: 'Empty',
        members: 0,
        lag: 3,
        topics: [{ topic: 'lgsp.civil-status.birth-registered.v1', lag: 3, partitionsBehind: 1 }],
      },
    ]);
  });

  it('asks the broker once for every caller within a few seconds', async () => {
    const { kafka, lag } = reader(working);
    const [a, b] = await Promise.all([lag.read(), lag.read()]);
    expect(b).toBe(a);
    expect(await lag.read()).toBe(a);
    expect(kafka.admin).toHaveBeenCalledTimes(1);
  });

  it('answers 503 HUB.CONSUMER_LAG_UNAVAILABLE when the broker cannot be asked', async () => {
    const { lag } = reader({
      ...working,
      connect: () => Promise.reject(new Error('Connection error: connect ECONNREFUSED')),
    });
    await expect(lag.read()).rejects.toMatchObject({
      code: 'HUB.CONSUMER_LAG_UNAVAILABLE',
      status: 503,
    });
  });
});
