import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { IsNfcText, IsOnOrAfter, IsPastDate } from '../validation/domain-validators';
import { SexedIdentityV1 } from './person';

/** civil-status → a death was registered (đăng ký khai tử). */
export class DeathRegisteredV1 {
  @IsUUID()
  registrationId: string;

  @IsPastDate()
  @IsOnOrAfter('dateOfDeath')
  registeredOn: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SexedIdentityV1)
  deceased: SexedIdentityV1;

  @IsPastDate()
  dateOfDeath: string;

  @IsOptional()
  @IsNfcText(2, 200)
  placeOfDeath?: string;
}
