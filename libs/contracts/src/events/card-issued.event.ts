import { IsIn, IsInt, Max, Min } from 'class-validator';
import { BENEFICIARY_GROUPS, type BeneficiaryGroup } from '../domain/bhyt-card';
import {
  IsBhytCardNumber,
  IsCalendarDate,
  IsOnOrAfter,
  IsPastDate,
  IsPersonalId,
  IsSocialInsuranceNumber,
} from '../validation/domain-validators';

/** insurance → a health-insurance (BHYT) card was issued. */
export class CardIssuedV1 {
  @IsBhytCardNumber()
  cardNumber: string;

  @IsPersonalId()
  personalId: string;

  @IsIn(BENEFICIARY_GROUPS)
  beneficiaryGroup: BeneficiaryGroup;

  @IsInt()
  @Min(1)
  @Max(5)
  benefitLevel: number;

  @IsSocialInsuranceNumber()
  socialInsuranceNumber: string;

  @IsPastDate()
  validFrom: string;

  @IsCalendarDate()
  @IsOnOrAfter('validFrom')
  validTo: string;
}
