import { readFileSync } from 'node:fs';
import type { KafkaConfig } from 'kafkajs';

/**
 * How a process authenticates to the broker: its own principal over SASL/SCRAM-SHA-512,
 * and TLS when the listener is SASL_SSL. No credential at all is an open broker (kept for
 * brokers managed elsewhere that are not closed yet).
 */
export interface KafkaAuth {
  sasl?: { username: string; password: string };
  /** TLS to the broker; `ca` (PEM) when its certificate is not signed by a public authority. */
  ssl?: { ca?: string };
}

/** The settings a KafkaAuth comes from, as the environment names them. */
export interface KafkaAuthSettings {
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
  /** A file whose content (trailing newline dropped) is the password; wins over the value. */
  KAFKA_SASL_PASSWORD_FILE?: string;
  KAFKA_SSL?: boolean | string;
  KAFKA_SSL_CA_FILE?: string;
}

const isTrue = (v: boolean | string | undefined) =>
  v === true || (typeof v === 'string' && ['1', 'true', 'yes'].includes(v.toLowerCase()));

/** Reads the password and CA files once; throws with the variable's name when one is unreadable. */
export function kafkaAuthFrom(s: KafkaAuthSettings): KafkaAuth {
  const read = (name: string, file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`${name} ${file} cannot be read: ${(e as Error).message}`);
    }
  };
  const auth: KafkaAuth = {};
  if (s.KAFKA_SASL_USERNAME) {
    const password = s.KAFKA_SASL_PASSWORD_FILE
      ? read('KAFKA_SASL_PASSWORD_FILE', s.KAFKA_SASL_PASSWORD_FILE).replace(/\r?\n$/, '')
      : s.KAFKA_SASL_PASSWORD;
    if (!password)
      throw new Error('KAFKA_SASL_USERNAME needs KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE');
    auth.sasl = { username: s.KAFKA_SASL_USERNAME, password };
  }
  if (isTrue(s.KAFKA_SSL) || s.KAFKA_SSL_CA_FILE) {
    auth.ssl = s.KAFKA_SSL_CA_FILE ? { ca: read('KAFKA_SSL_CA_FILE', s.KAFKA_SSL_CA_FILE) } : {};
  }
  return auth;
}

/** The kafkajs options of an authentication. */
export function kafkajsAuth(auth: KafkaAuth = {}): Pick<KafkaConfig, 'sasl' | 'ssl'> {
  return {
    ...(auth.sasl ? { sasl: { mechanism: 'scram-sha-512' as const, ...auth.sasl } } : {}),
    ...(auth.ssl ? { ssl: auth.ssl.ca ? { ca: [auth.ssl.ca] } : true } : {}),
  };
}

/** Who a process connects as, for logs: never the password. */
export function describeAuth(auth: KafkaAuth = {}): string {
  const who = auth.sasl ? `SASL/SCRAM-SHA-512 as ${auth.sasl.username}` : 'no credential';
  return auth.ssl ? `${who} over TLS` : who;
}
