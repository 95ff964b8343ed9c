import { IsUUID } from 'class-validator';
import { VerificationOutcomeV1 } from './identity-verification';

/** population → land: the outcome of checking a parcel owner's identity. */
export class IdentityVerifiedV1 extends VerificationOutcomeV1 {
  /** The owner record the check was asked for (`ownerId` of `ownership-registered`). */
  @IsUUID()
  ownerId: string;

  @IsUUID()
  registrationId: string;
}
