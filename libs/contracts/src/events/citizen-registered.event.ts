import { IsIn, IsOptional, IsUUID } from 'class-validator';
import type { Sex } from '../domain/personal-id';
import {
  AgreesWithPersonalId,
  IsNfcText,
  IsPastDate,
  IsPersonalId,
} from '../validation/domain-validators';
import { SEXES } from './person';

/** population → a newborn was registered with a personal ID and permanent residence. */
export class CitizenRegisteredV1 {
  @IsPersonalId()
  personalId: string;

  @IsUUID()
  birthRegistrationId: string;

  @IsNfcText(2, 100)
  fullName: string;

  @IsIn(SEXES)
  sex: Sex;

  @IsPastDate()
  @AgreesWithPersonalId('personalId', 'sex')
  dateOfBirth: string;

  @IsOptional()
  @IsNfcText(2, 300)
  permanentAddress?: string;
}
