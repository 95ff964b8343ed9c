import { IsUUID } from 'class-validator';
import { IsOnOrAfter, IsPastDate, IsPersonalId } from '../validation/domain-validators';

/** population → a citizen was recorded as deceased and their permanent residence removed. */
export class CitizenDeceasedV1 {
  @IsPersonalId()
  personalId: string;

  @IsUUID()
  deathRegistrationId: string;

  @IsPastDate()
  dateOfDeath: string;

  /** Day the permanent residence was removed (xóa đăng ký thường trú). */
  @IsPastDate()
  @IsOnOrAfter('dateOfDeath')
  residenceRemovedOn: string;
}
