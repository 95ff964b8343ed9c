import { randomBytes } from 'node:crypto';
import type { KafkaAuth } from './kafka-auth';
import { check, KafkaWire, type Reader, Writer } from './kafka-wire';
import { SCRAM_MIN_ITERATIONS, saltedPassword } from './scram';

const DESCRIBE_USER_SCRAM_CREDENTIALS = 50;
const ALTER_USER_SCRAM_CREDENTIALS = 51;
/** The protocol's code of SCRAM-SHA-512. */
const SCRAM_SHA_512 = 2;
const ITERATIONS = 8192;

export interface ScramUser {
  name: string;
  password: string;
}

/**
 * SCRAM credentials on the broker, through the administration requests of KIP-554 (kafkajs
 * has none). The caller's principal needs ALTER (DESCRIBE to list) on the cluster: the
 * administration principal. A credential is salted here: the password never crosses the wire.
 *
 * There is no removal: on Kafka 4.4.0, once a SCRAM credential has been deleted, no SCRAM
 * login succeeds after the broker restarts (reproduced with Kafka's own admin client; see
 * decision 0011). A principal is retired by taking its ACLs away, and its password may be
 * replaced by an upsert.
 */
export class ScramUsers {
  private constructor(private readonly wire: KafkaWire) {}

  static async connect(brokers: string, auth: KafkaAuth): Promise<ScramUsers> {
    return new ScramUsers(await KafkaWire.open(brokers, auth));
  }

  /** Creates or replaces the SCRAM-SHA-512 credential of each user. */
  async upsert(users: ScramUser[]): Promise<void> {
    if (users.length === 0) return;
    const body = new Writer()
      .compactArray([], () => undefined)
      .compactArray(users, (w, u) => {
        const salt = randomBytes(32);
        w.compactString(u.name)
          .int8(SCRAM_SHA_512)
          .int32(Math.max(ITERATIONS, SCRAM_MIN_ITERATIONS))
          .compactBytes(salt)
          .compactBytes(saltedPassword('sha512', u.password, salt, ITERATIONS))
          .tags();
      })
      .tags()
      .buffer();
    await this.alter(body);
  }

  /** The users that have a SCRAM credential of any kind. */
  async list(): Promise<string[]> {
    const r = await this.wire.send({
      apiKey: DESCRIBE_USER_SCRAM_CREDENTIALS,
      apiVersion: 0,
      flexible: true,
      body: new Writer()
        .compactArray(null, () => undefined)
        .tags()
        .buffer(),
    });
    r.int32(); // throttle
    const code = r.int16();
    check(code, r.compactString());
    return r
      .compactArray((x) => {
        const user = x.compactString() ?? '';
        const err = x.int16();
        x.compactString();
        x.compactArray((c) => {
          c.int8();
          c.int32();
          c.skipTags();
        });
        x.skipTags();
        return err === 0 ? user : undefined;
      })
      .filter((u): u is string => u !== undefined)
      .sort();
  }

  close(): void {
    this.wire.close();
  }

  private async alter(body: Buffer): Promise<void> {
    const r = await this.wire.send({
      apiKey: ALTER_USER_SCRAM_CREDENTIALS,
      apiVersion: 0,
      flexible: true,
      body,
    });
    r.int32(); // throttle
    const results = r.compactArray(result);
    const failed = results.filter((x) => x.code !== 0);
    if (failed.length > 0) {
      const [first] = failed;
      check(first.code, `${first.user}: ${first.message ?? ''}`);
    }
  }
}

/**
 * Waits until each user can log in: the broker applies a new credential from its metadata
 * log a moment after the request that created it was answered.
 */
export async function waitUntilUsersLogIn(
  brokers: string,
  users: ScramUser[],
  ssl?: KafkaAuth['ssl'],
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const user of users) {
    for (;;) {
      try {
        (
          await KafkaWire.open(brokers, {
            sasl: { username: user.name, password: user.password },
            ssl,
          })
        ).close();
        break;
      } catch (e) {
        if (Date.now() > deadline)
          throw new Error(`${user.name} cannot log in yet: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}

function result(r: Reader) {
  const user = r.compactString();
  const code = r.int16();
  const message = r.compactString();
  r.skipTags();
  return { user, code, message };
}
