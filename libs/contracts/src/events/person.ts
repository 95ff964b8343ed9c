import { IsIn, IsOptional } from 'class-validator';
import { IsNfcText, IsPastDate, IsPersonalId } from '../validation/domain-validators';
import type { Sex } from '../domain/personal-id';

export const SEXES: readonly Sex[] = ['MALE', 'FEMALE'];

/** A citizen named by personal ID, as referenced from another record (a parent, an owner). */
export class CitizenRefV1 {
  @IsPersonalId()
  personalId: string;

  @IsNfcText(2, 100)
  fullName: string;
}

export class NewbornV1 {
  @IsNfcText(2, 100)
  fullName: string;

  @IsIn(SEXES)
  sex: Sex;

  @IsPastDate()
  dateOfBirth: string;

  @IsOptional()
  @IsNfcText(2, 200)
  placeOfBirth?: string;
}
