import { ServiceConfig } from '@lgsp/platform';
import { Expose } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { Transform } from 'class-transformer';

export class HubConfig extends ServiceConfig {
  /** A catalogue file to seed from instead of the demo catalogue shipped with the hub. */
  @Expose()
  @IsOptional()
  @IsString()
  CATALOGUE_FILE?: string;

  /**
   * The bootstrap administrator key: it issues every other credential. Or
   * `HUB_ADMIN_KEY_FILE`, a file holding it.
   */
  @Expose()
  @IsString()
  @MinLength(16, { message: 'HUB_ADMIN_KEY must be at least 16 characters' })
  HUB_ADMIN_KEY: string;

  /** A transaction without a receipt after this long is TIMED_OUT (a later receipt still closes it). */
  @Expose()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(86_400)
  DELIVERY_DEADLINE_SECONDS = 300;

  @Expose()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(3600)
  DEADLINE_CHECK_SECONDS = 5;

  /** How often new exchange-log entries are sealed. */
  @Expose()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(3600)
  SEAL_INTERVAL_SECONDS = 5;

  /** Entries per seal at most (a seal keeps 40 bytes per entry to name a tampered one). */
  @Expose()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(10)
  @Max(100_000)
  SEAL_MAX_ENTRIES = 2000;

  /**
   * The administration principal on a closed broker, when the hub should keep the broker's
   * ACLs in step with the catalogue itself (at start-up and after each change). Unset, an
   * operator runs `hubctl kafka acls --apply` after a change.
   */
  @Expose()
  @IsOptional()
  @IsString()
  KAFKA_ACL_ADMIN_USERNAME?: string;

  /** Its password; or `KAFKA_ACL_ADMIN_PASSWORD_FILE`, a file holding it. */
  @Expose()
  @ValidateIf((c: HubConfig) => !!c.KAFKA_ACL_ADMIN_USERNAME)
  @IsString({ message: 'KAFKA_ACL_ADMIN_USERNAME needs KAFKA_ACL_ADMIN_PASSWORD(_FILE)' })
  @MinLength(1, { message: 'KAFKA_ACL_ADMIN_USERNAME needs KAFKA_ACL_ADMIN_PASSWORD(_FILE)' })
  KAFKA_ACL_ADMIN_PASSWORD?: string;

  /**
   * The Ed25519 private key (PEM) that signs seals: a file, or the PEM itself. One of the two
   * is required to start the hub (see audit/seal-keys.ts); never kept in the database.
   */
  @Expose()
  @IsOptional()
  @IsString()
  SEAL_SIGNING_KEY_FILE?: string;

  @Expose()
  @IsOptional()
  @IsString()
  SEAL_SIGNING_KEY?: string;

  /** Audit exports each credential may start per minute (in bursts of AUDIT_EXPORT_BURST); 0: no own limit. */
  @Expose()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(100_000)
  AUDIT_EXPORT_RATE_PER_MINUTE = 30;

  @Expose()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(100_000)
  AUDIT_EXPORT_BURST = 10;

  /** Failed authentications (unknown, revoked or expired keys) a client address may make per minute; 0: no limit. */
  @Expose()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  HUB_AUTH_FAILURES_PER_MINUTE = 60;

  /** The Content-Security-Policy of everything under /console (the operators' web console). */
  @Expose()
  @IsString()
  @MinLength(1)
  CONSOLE_CONTENT_SECURITY_POLICY =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; " +
    "base-uri 'self'; form-action 'self'";

  /** The console's build folder (default: apps/console/dist of this checkout). */
  @Expose()
  @IsOptional()
  @IsString()
  CONSOLE_DIR?: string;

  /** Public keys (*.pem) of earlier signing keys, so seals made before a rotation stay verifiable. */
  @Expose()
  @IsOptional()
  @IsString()
  SEAL_PUBLIC_KEYS_DIR?: string;

  /**
   * Months of the exchange log kept in the database besides the current one; older months are
   * archived to LOG_ARCHIVE_DIR and dropped by the leader (see audit/log-archive.ts). 0: kept for ever.
   */
  @Expose()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(1200)
  LOG_RETENTION_MONTHS = 0;

  /** The directory archived months are written to (a path; object storage is not supported yet). */
  @Expose()
  @IsString()
  @MinLength(1)
  @Matches(/^(?![a-z][a-z0-9+.-]*:\/\/)/i, {
    message: 'LOG_ARCHIVE_DIR must be a directory path: S3-compatible URLs are not supported yet',
  })
  LOG_ARCHIVE_DIR = '.local/log-archive';
}
