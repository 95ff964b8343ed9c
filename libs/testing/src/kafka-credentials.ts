// Loaded by the run's global setup too: nothing here may import @lgsp/messaging or the
// contracts (see test/setup/global-setup.ts).
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The closed broker's administration credential (the shape of @lgsp/messaging's KafkaAuth). */
export interface KafkaAdminAuth {
  sasl: { username: string; password: string };
  ssl?: { ca?: string };
}

/** Where globalSetup leaves the administration credential, as JSON; unset: an open broker. */
export const KAFKA_ADMIN_ENV = 'LGSP_TEST_KAFKA_ADMIN';

export function testKafkaAdmin(): KafkaAdminAuth | undefined {
  const json = process.env[KAFKA_ADMIN_ENV];
  return json ? (JSON.parse(json) as KafkaAdminAuth) : undefined;
}

/** The system an app acts as (its principal): the app's own name but for the adapter. */
export function systemOfApp(app: string): string {
  return app === 'population-adapter' ? 'population' : app;
}

/**
 * A member system's credential under a topic prefix: the principal `<prefix><system>`, with
 * a password derived from the administrator's, so that every process of the run knows it
 * without passing it around and no one without the administrator's password can guess it.
 */
export function testSystemCredential(
  system: string,
  prefix: string,
  admin: KafkaAdminAuth | undefined = testKafkaAdmin(),
): { username: string; password: string } | undefined {
  if (!admin) return undefined;
  const username = `${prefix}${system}`;
  const password = createHmac('sha256', admin.sasl.password).update(username).digest('hex');
  return { username, password };
}

/**
 * What a service adds to its environment to connect as its own system on a closed broker
 * (the run's, or one a spec runs itself: give its administrator); the hub also gets the
 * administrator's credential, so that its catalogue changes move the ACLs. Nothing on an
 * open broker.
 */
export function kafkaTestEnv(
  system: string,
  prefix: string,
  admin: KafkaAdminAuth | undefined = testKafkaAdmin(),
): Record<string, string | undefined> {
  const own = testSystemCredential(system, prefix, admin);
  if (!own || !admin) return {};
  return {
    KAFKA_SASL_USERNAME: own.username,
    KAFKA_SASL_PASSWORD: own.password,
    ...(admin.ssl ? { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: process.env.KAFKA_SSL_CA_FILE } : {}),
    ...(system === 'hub'
      ? {
          KAFKA_ACL_ADMIN_USERNAME: admin.sasl.username,
          KAFKA_ACL_ADMIN_PASSWORD: admin.sasl.password,
        }
      : {}),
  };
}

/** The administrator of a broker that deploy/local/kafka runs with `LGSP_LOCAL_DIR=localDir`. */
export function localBrokerAdmin(localDir: string): KafkaAdminAuth | undefined {
  const file = join(localDir, 'kafka', 'credentials', 'lgsp_admin.password');
  if (!existsSync(file)) return undefined;
  return { sasl: { username: 'lgsp_admin', password: readFileSync(file, 'utf8').trim() } };
}
