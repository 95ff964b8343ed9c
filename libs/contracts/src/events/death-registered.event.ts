import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import type { Sex } from '../domain/personal-id';
import {
  AgreesWithPersonalId,
  IsNfcText,
  IsOnOrAfter,
  IsPastDate,
  IsPersonalId,
} from '../validation/domain-validators';
import { SEXES } from './person';

export class DeceasedV1 {
  @IsPersonalId()
  personalId: string;

  @IsNfcText(2, 100)
  fullName: string;

  @IsIn(SEXES)
  sex: Sex;

  @IsPastDate()
  @AgreesWithPersonalId('personalId', 'sex')
  dateOfBirth: string;
}

/** civil-status → a death was registered (đăng ký khai tử). */
export class DeathRegisteredV1 {
  @IsUUID()
  registrationId: string;

  @IsPastDate()
  @IsOnOrAfter('dateOfDeath')
  registeredOn: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => DeceasedV1)
  deceased: DeceasedV1;

  @IsPastDate()
  dateOfDeath: string;

  @IsOptional()
  @IsNfcText(2, 200)
  placeOfDeath?: string;
}
