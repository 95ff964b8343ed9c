import { hubService } from '@apps/hub';
import { countRefusals } from '@apps/hubctl';
import { eventType, topicOf, VALID_EXAMPLES } from '@lgsp/contracts';
import {
  eventRecord,
  eventually,
  http,
  produceRaw,
  RUN_ENV,
  TEST_ADMIN_KEY,
  testKafkaAdmin,
  testRun,
  testSystemCredential,
  TestStack,
} from '@lgsp/testing';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { readFileSync } from 'node:fs';

const ADMIN = { 'x-api-key': TEST_ADMIN_KEY };
const OWNERSHIP = 'land.ownership-registered.v1';
const BIRTH = 'civil-status.birth-registered.v1';
const CITIZEN = 'population.citizen-registered.v1';

/** The error kafkajs gives, or the first of its causes, that names `type`. */
function hasType(e: unknown, type: string): boolean {
  for (let x = e as { type?: string; cause?: unknown } | undefined; x; x = x.cause as typeof x) {
    if (x.type === type) return true;
  }
  return false;
}

/**
 * A foreign client — plain kafkajs, none of the project's Kafka code — against the closed
 * broker: who it is decides what it may do, and the hub's catalogue decides that.
 */
describe('the closed broker: the catalogue is its access list', () => {
  let stack: TestStack;
  let prefix: string;
  const topic = (type: string) => topicOf(eventType(type), prefix);

  /** kafkajs as `system` (its credential in this spec), or with no credential at all. */
  const client = (system?: string, password?: string) => {
    const own = system ? testSystemCredential(system, prefix)! : undefined;
    return new Kafka({
      brokers: testRun().brokers.split(','),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      retry: { retries: 1, initialRetryTime: 100 },
      ...(own
        ? {
            sasl: {
              mechanism: 'scram-sha-512',
              username: own.username,
              password: password ?? own.password,
            },
          }
        : {}),
    });
  };

  const produce = async (system: string, t: string, messages: Message[]) => {
    const producer = client(system).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await producer.send({ topic: t, messages, acks: -1 });
    } finally {
      await producer.disconnect();
    }
  };

  /** Reads `t` from the start as `system` with its own consumer group, until `n` records came. */
  const consume = async (system: string, t: string, n: number) => {
    const consumer = client(system).consumer({
      groupId: `${prefix}lgsp.${system}`,
      allowAutoTopicCreation: false,
    });
    const seen: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: t, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => Promise.resolve(void seen.push(String(message.value))),
      });
      return await eventually(() => Promise.resolve(seen.length >= n ? seen : undefined), {
        what: `${n} records of ${t} read as ${system}`,
      });
    } finally {
      await consumer.disconnect();
    }
  };

  const record = (system: string, type: string) =>
    eventRecord(stack, system, type, VALID_EXAMPLES[type]);

  beforeAll(async () => {
    if (!testKafkaAdmin()) {
      throw new Error(
        'The test broker is open (no administration credential found): the closed broker ' +
          'is what this spec proves. Run it on the local broker (deploy/local/kafka), or give ' +
          'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD(_FILE) with KAFKA_BROKERS.',
      );
    }
    // The hub makes every topic and, holding the administrator's credential, keeps the ACLs.
    stack = await TestStack.start([hubService], { suffix: '_closed' });
    prefix = stack.topicPrefix();
  });

  afterAll(() => stack?.close());

  it('refuses a client without a credential, and one with a wrong password', async () => {
    const anonymous = client().admin();
    await expect(anonymous.connect().then(() => anonymous.listTopics())).rejects.toThrow();
    await anonymous.disconnect();
    const wrong = client('land', 'not-the-password').admin();
    await expect(wrong.connect()).rejects.toThrow(/SASL|[Aa]uthentication/);
    await wrong.disconnect();
  });

  it("lets land write its own topic, and refuses it civil status's: TOPIC_AUTHORIZATION_FAILED", async () => {
    const own = record('land', OWNERSHIP);
    await produce('land', own.topic, [own.message]);
    const forged = record('civil-status', BIRTH);
    const refused = await produce('land', topic(BIRTH), [forged.message]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeDefined();
    expect(hasType(refused, 'TOPIC_AUTHORIZATION_FAILED')).toBe(true);
  });

  it('lets insurance read what it subscribes to, and refuses it a topic it does not', async () => {
    const citizen = record('population', CITIZEN);
    await produceRaw(citizen.topic, [citizen.message]);
    expect(await consume('insurance', topic(CITIZEN), 1)).toHaveLength(1);
    const refused = await consume('insurance', topic(OWNERSHIP), 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(hasType(refused, 'TOPIC_AUTHORIZATION_FAILED')).toBe(true);
  });

  it('keeps the ce_source check as a second line behind the ACLs', async () => {
    // Land may write its own topic; a record there that claims to come from civil status
    // passes the broker and is refused by the hub.
    const claimed = record('civil-status', OWNERSHIP);
    await produce('land', claimed.topic, [claimed.message]);
    const txs = await eventually(
      async () => {
        const r = await http<{ status: string; errorCode: string | null }[]>(
          'GET',
          `${stack.url('hub')}/transactions/${claimed.eventId}`,
          undefined,
          ADMIN,
        );
        return r.status === 200 && r.body.length > 0 ? r.body : undefined;
      },
      { what: 'the hub to log the forged record' },
    );
    expect(txs).toEqual([
      expect.objectContaining({ status: 'REJECTED', errorCode: 'HUB.UNAUTHORISED_PUBLISHER' }),
    ]);
  });

  it('takes its ACLs from a disabled system, and gives them back when it is enabled', async () => {
    const setLand = async (status: string) => {
      const res = await fetch(`${stack.url('hub')}/catalogue/systems/land`, {
        method: 'PATCH',
        headers: { ...ADMIN, 'content-type': 'application/json' },
        body: JSON.stringify({ status }),
      });
      expect(res.status).toBe(200);
      return res.headers.get('lgsp-kafka-acls');
    };
    const own = () => record('land', OWNERSHIP);
    try {
      expect(await setLand('DISABLED')).toMatch(/^applied/);
      const refused = await produce('land', topic(OWNERSHIP), [own().message]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(hasType(refused, 'TOPIC_AUTHORIZATION_FAILED')).toBe(true);
    } finally {
      expect(await setLand('ACTIVE')).toMatch(/^applied/);
    }
    await produce('land', topic(OWNERSHIP), [own().message]);
  });

  const authorizerLog = process.env[RUN_ENV.kafkaAuthorizerLog];
  (authorizerLog ? it : it.skip)("keeps every refusal in the broker's authorizer log", () => {
    const refusals = countRefusals(readFileSync(authorizerLog!, 'utf8').split('\n'));
    const land = refusals.filter(
      (r) => r.principal === `User:${prefix}land` && r.resource === `Topic:LITERAL:${topic(BIRTH)}`,
    );
    const insurance = refusals.filter(
      (r) =>
        r.principal === `User:${prefix}insurance` &&
        r.resource === `Topic:LITERAL:${topic(OWNERSHIP)}`,
    );
    expect(land.length).toBeGreaterThan(0);
    expect(insurance.length).toBeGreaterThan(0);
  });
});
