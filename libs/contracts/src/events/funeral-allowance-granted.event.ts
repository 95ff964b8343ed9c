import { IsIn, IsInt, Max, Min } from 'class-validator';
import {
  IsOnOrAfter,
  IsPastDate,
  IsPersonalId,
  IsProductOf,
  IsVndAmount,
} from '../validation/domain-validators';

export const FUNERAL_ENTITLEMENTS = ['PENSIONER', 'CONTRIBUTOR'] as const;

/** insurance → the funeral allowance (trợ cấp mai táng) was granted for a deceased participant. */
export class FuneralAllowanceGrantedV1 {
  @IsPersonalId()
  personalId: string;

  @IsPastDate()
  dateOfDeath: string;

  @IsIn(FUNERAL_ENTITLEMENTS)
  entitlement: (typeof FUNERAL_ENTITLEMENTS)[number];

  /**
   * What the allowance is based on, in the month of death: the base salary (lương cơ sở) before
   * 2025-07-01, the reference level (mức tham chiếu, Social Insurance Law 2024) from then on.
   */
  @IsVndAmount()
  baseSalaryVnd: number;

  @IsInt()
  @Min(1)
  @Max(100)
  multiplier: number;

  @IsVndAmount()
  @IsProductOf('multiplier', 'baseSalaryVnd')
  amountVnd: number;

  @IsPastDate()
  @IsOnOrAfter('dateOfDeath')
  grantedOn: string;
}
