import { IsOptional, IsUUID } from 'class-validator';
import { IsNfcText } from '../validation/domain-validators';
import { SexedIdentityV1 } from './person';

/** population → a newborn was registered with a personal ID and permanent residence. */
export class CitizenRegisteredV1 extends SexedIdentityV1 {
  @IsUUID()
  birthRegistrationId: string;

  @IsOptional()
  @IsNfcText(2, 300)
  permanentAddress?: string;
}
