import { Expose, plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { IsProvinceCode } from '@lgsp/contracts';
import { readFileSync } from 'node:fs';

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? Number(value) : value;
export const toBool = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes'].includes(value.toLowerCase()) : value;

/** Settings every service shares. Each is read from the environment once, at boot. */
export class ServiceConfig {
  /** 0 picks a free port (tests). */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number;

  @Expose()
  @IsString()
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, {
    message: 'KAFKA_BROKERS must be host:port[,host:port…]',
  })
  KAFKA_BROKERS = '127.0.0.1:9092';

  /** The service's own principal on a closed broker (SASL/SCRAM-SHA-512); unset: no SASL. */
  @Expose()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  KAFKA_SASL_USERNAME?: string;

  /** Its password; or `KAFKA_SASL_PASSWORD_FILE`, a file holding it. */
  @Expose()
  @ValidateIf((c: ServiceConfig) => !!c.KAFKA_SASL_USERNAME)
  @IsString({
    message: 'KAFKA_SASL_USERNAME needs KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE',
  })
  @IsNotEmpty({
    message: 'KAFKA_SASL_USERNAME needs KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE',
  })
  KAFKA_SASL_PASSWORD?: string;

  /** TLS to the broker (a SASL_SSL listener). */
  @Expose()
  @Transform(toBool)
  KAFKA_SSL = false;

  /** PEM file of the authority that signed the broker's certificate, when not a public one. */
  @Expose()
  @IsOptional()
  @IsString()
  KAFKA_SSL_CA_FILE?: string;

  @Expose()
  @IsString()
  @Matches(/^[a-z0-9._-]*$/, { message: 'KAFKA_TOPIC_PREFIX may hold only a-z 0-9 . _ -' })
  KAFKA_TOPIC_PREFIX = '';

  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_TOPIC_PARTITIONS = 6;

  /** A consumer that stops heartbeating (killed) loses its partitions after this long. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(6000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS = 10_000;

  @Expose()
  @Transform(toBool)
  KAFKA_CREATE_TOPICS = true;

  /** Partitions a consumer handles at once, each batch in its own database transaction. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY = 6;

  /** Where the server's autovacuum is off, how often the service vacuums its busy tables (0: never). */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400)
  DB_VACUUM_INTERVAL_SECONDS = 30;

  /**
   * Bytes a consumer fetches from one partition at most: the largest batch it handles in one
   * database transaction. Smaller batches turn around sooner (latency); larger ones cost
   * less per record when a backlog drains.
   */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(16_384)
  @Max(52_428_800)
  KAFKA_MAX_BYTES_PER_PARTITION = 262_144;

  /** Connections in the service's database pool. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(200)
  DB_POOL_SIZE = 10;

  @Expose()
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  @Expose()
  @IsProvinceCode()
  PROVINCE_CODE = '01';

  /**
   * Key of the HMAC that turns a citizen identifier into the pseudonymous subject key; or
   * `SUBJECT_HASH_KEY_FILE`, a file holding it.
   */
  @Expose()
  @IsString()
  @MinLength(16, { message: 'SUBJECT_HASH_KEY must be at least 16 characters' })
  SUBJECT_HASH_KEY: string;

  /** How long a statement waits for a row lock before failing (then retried as transient). */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DB_LOCK_TIMEOUT_MS = 5000;

  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DB_STATEMENT_TIMEOUT_MS = 30_000;

  /** Attempts at a transient failure before an event is FAILED and dead-lettered. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  CONSUMER_MAX_ATTEMPTS = 5;

  /**
   * Requests per second each credential (or client address, for calls without one) may send
   * to this service, in bursts of up to RATE_LIMIT_BURST; 0: no limit. Per replica.
   */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_PER_SECOND = 2000;

  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  RATE_LIMIT_BURST = 4000;

  /** The largest JSON body an endpoint taking one record accepts. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(104_857_600)
  BODY_LIMIT_BYTES = 1_048_576;

  /** The largest JSON body a batch endpoint (`…/batch`, up to 1000 records) accepts. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(104_857_600)
  BATCH_BODY_LIMIT_BYTES = 10_485_760;

  /** After SIGTERM or SIGINT the process exits within this long, whatever still answers. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(120_000)
  SHUTDOWN_TIMEOUT_MS = 8000;

  /**
   * Express's `trust proxy`: the reverse proxies (a hop count, or their addresses and
   * subnets) whose X-Forwarded-For names the client. Empty: the peer is the client.
   */
  @Expose()
  @IsString()
  TRUST_PROXY = '';

  @Expose()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Expose()
  @IsString()
  @IsNotEmpty()
  HOST = '127.0.0.1';
}

function flatten(errors: ValidationError[], env: Env): string[] {
  return errors.flatMap((e) => {
    const given = env[e.property] === undefined ? 'not set' : 'given';
    return Object.values(e.constraints ?? {}).map((m) => `${e.property} (${given}): ${m}`);
  });
}

/** Secrets that may be given instead as `<NAME>_FILE`, the path of a file holding them (a mounted secret). */
const SECRET_FILE_SETTINGS = [
  'SUBJECT_HASH_KEY',
  'KAFKA_SASL_PASSWORD',
  'KAFKA_ACL_ADMIN_PASSWORD',
  'HUB_ADMIN_KEY',
  'INSURANCE_ADMIN_KEY',
  'POPULATION_REGISTRY_TOKEN',
];

/** Puts each secret named by its `_FILE` setting into `env`; says what could not be read. */
function readSecretFiles(env: Env): string[] {
  const problems: string[] = [];
  for (const name of SECRET_FILE_SETTINGS) {
    const file = env[`${name}_FILE`];
    if (file === undefined) continue;
    if (env[name] !== undefined) {
      problems.push(`${name}_FILE (given): give ${name} or ${name}_FILE, not both`);
      continue;
    }
    try {
      env[name] = readFileSync(file, 'utf8').trim();
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      problems.push(`${name}_FILE (given): cannot read ${file} (${why})`);
    }
  }
  return problems;
}

/**
 * Reads and validates configuration. `defaults` fill what the environment leaves unset
 * (a service's own port or database name); the environment always wins.
 */
export function loadConfig<T extends object>(cls: new () => T, env: Env, defaults: Env = {}): T {
  const merged: Env = { ...defaults };
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') merged[k] = v;
  const fileProblems = readSecretFiles(merged);
  const config = plainToInstance(cls, merged, {
    excludeExtraneousValues: true,
    exposeDefaultValues: true,
  });
  const problems = [
    ...fileProblems,
    ...flatten(validateSync(config, { forbidUnknownValues: false }), merged),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
