import { ServiceConfig } from '@lgsp/platform';
import { Expose } from 'class-transformer';
import { IsOptional, IsString, MinLength } from 'class-validator';

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
}
