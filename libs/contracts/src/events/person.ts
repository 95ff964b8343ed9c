import { IsIn, IsOptional } from 'class-validator';
import {
  AgreesWithPersonalId,
  IsNfcText,
  IsPastDate,
  IsPersonalId,
  IsSexOfPersonalId,
} from '../validation/domain-validators';
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

/** Who a record says a citizen is: what the population register checks it against. */
export class IdentityV1 {
  @IsPersonalId()
  personalId: string;

  @IsNfcText(2, 100)
  fullName: string;

  @IsPastDate()
  @AgreesWithPersonalId('personalId')
  dateOfBirth: string;
}

/** An identity with its sex, which the personal ID encodes too. */
export class SexedIdentityV1 extends IdentityV1 {
  @IsIn(SEXES)
  @IsSexOfPersonalId('personalId')
  sex: Sex;
}
