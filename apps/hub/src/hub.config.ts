import { ServiceConfig } from '@lgsp/platform';
import { Expose } from 'class-transformer';
import { IsOptional, IsString } from 'class-validator';

export class HubConfig extends ServiceConfig {
  /** A catalogue file to seed from instead of the demo catalogue shipped with the hub. */
  @Expose()
  @IsOptional()
  @IsString()
  CATALOGUE_FILE?: string;
}
