import { ServiceConfig } from '@lgsp/platform';
import { Expose } from 'class-transformer';
import { IsOptional, IsString, MinLength } from 'class-validator';

export class InsuranceConfig extends ServiceConfig {
  /**
   * The insurance administrator's key: it may add rows to the reference-level table. Or
   * `INSURANCE_ADMIN_KEY_FILE`, a file holding it. Unset: the table changes only by migration.
   */
  @Expose()
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'INSURANCE_ADMIN_KEY must be at least 16 characters' })
  INSURANCE_ADMIN_KEY?: string;
}

export const INSURANCE_CONFIG = Symbol('INSURANCE_CONFIG');
