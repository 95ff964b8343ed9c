import { ServiceConfig } from '@lgsp/platform';
import { Expose } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { Transform } from 'class-transformer';

export class HubConfig extends ServiceConfig {
  /** A catalogue file to seed from instead of the demo catalogue shipped with the hub. */
  @Expose()
  @IsOptional()
  @IsString()
  CATALOGUE_FILE?: string;

  /** The bootstrap administrator key: it issues every other credential. */
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
}
