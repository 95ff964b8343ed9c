import { ADMIN_PRINCIPAL, type KafkaAuth, kafkaAuthFrom } from '@lgsp/messaging';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where `hubctl kafka users` keeps the systems' passwords: `<local dir>/kafka/credentials`. */
export function localCredentialsDir(root: string, env: NodeJS.ProcessEnv): string {
  return (
    env.KAFKA_CREDENTIALS_DIR ??
    join(env.LGSP_LOCAL_DIR ?? join(root, '.local'), 'kafka', 'credentials')
  );
}

/**
 * The credential hubctl talks to Kafka with: the one the environment gives
 * (`KAFKA_SASL_USERNAME` with `KAFKA_SASL_PASSWORD[_FILE]`, `KAFKA_SSL`, `KAFKA_SSL_CA_FILE`),
 * or else the local broker's administration principal when its password file is there, or
 * none (an open broker).
 */
export function hubctlKafkaAuth(root: string, env: NodeJS.ProcessEnv): KafkaAuth {
  return kafkaAuthFrom(hubctlKafkaEnv(root, env));
}

/** `env` with the local administrator's credential filled in when it names none (for a command hubctl runs). */
export function hubctlKafkaEnv(root: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.KAFKA_SASL_USERNAME) return env;
  // The local broker keeps it beside its data (deploy/local/kafka/start.sh).
  const local = join(
    env.LGSP_LOCAL_DIR ?? join(root, '.local'),
    'kafka',
    'credentials',
    `${ADMIN_PRINCIPAL}.password`,
  );
  if (!existsSync(local)) return env;
  return { ...env, KAFKA_SASL_USERNAME: ADMIN_PRINCIPAL, KAFKA_SASL_PASSWORD_FILE: local };
}
