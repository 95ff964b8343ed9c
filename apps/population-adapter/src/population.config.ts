import { ServiceConfig, toInt } from '@lgsp/platform';
import { Expose, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, ValidateIf } from 'class-validator';

export class PopulationConfig extends ServiceConfig {
  /**
   * What backs the population registry: `postgres`, the reference register in this service's
   * own database (default), or `http`, a national population API at POPULATION_REGISTRY_URL.
   */
  @Expose()
  @IsIn(['postgres', 'http'], { message: 'POPULATION_REGISTRY must be postgres or http' })
  POPULATION_REGISTRY: 'postgres' | 'http' = 'postgres';

  /** The national population API's base URL (with POPULATION_REGISTRY=http). */
  @Expose()
  @ValidateIf((c: PopulationConfig) => c.POPULATION_REGISTRY === 'http')
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'POPULATION_REGISTRY=http needs POPULATION_REGISTRY_URL, an http(s) URL' },
  )
  POPULATION_REGISTRY_URL?: string;

  /** Bearer token for that API; or `POPULATION_REGISTRY_TOKEN_FILE`, a file holding it. */
  @Expose()
  @IsOptional()
  @IsString()
  POPULATION_REGISTRY_TOKEN?: string;

  /** How long one request may take before it counts as failed (and is retried). */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(60_000)
  POPULATION_REGISTRY_TIMEOUT_MS = 2000;

  /** Retries of a request that failed transiently (timeout, 5xx, 429, garbage), with backoff. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  POPULATION_REGISTRY_RETRIES = 2;

  /** Failed requests in a row that open the circuit… */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  POPULATION_REGISTRY_BREAKER_FAILURES = 5;

  /** …and how long it stays open before one trial request. */
  @Expose()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  POPULATION_REGISTRY_BREAKER_OPEN_MS = 10_000;
}
