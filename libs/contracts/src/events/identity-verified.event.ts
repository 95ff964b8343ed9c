import { ArrayUnique, IsArray, IsIn, IsUUID, ValidateIf } from 'class-validator';
import { IsPersonalId, ClassSchema } from '../validation/domain-validators';
import {
  VERIFICATION_RESULTS,
  VERIFIED_FIELDS,
  type VerificationResult,
  type VerifiedField,
} from './identity-verification';

/** population → land: the outcome of checking a parcel owner's identity. */
@ClassSchema({
  anyOf: [
    { properties: { result: { enum: ['MATCH', 'NOT_FOUND'] } } },
    { required: ['mismatchedFields'] },
  ],
})
export class IdentityVerifiedV1 {
  /** The owner record the check was asked for (`ownerId` of `ownership-registered`). */
  @IsUUID()
  ownerId: string;

  @IsUUID()
  registrationId: string;

  @IsPersonalId()
  personalId: string;

  @IsIn(VERIFICATION_RESULTS)
  result: VerificationResult;

  /** Which given fields differ from the population register (MISMATCH only). */
  @ValidateIf(
    (o: IdentityVerifiedV1) => o.result === 'MISMATCH' || o.mismatchedFields !== undefined,
  )
  @IsArray()
  @ArrayUnique()
  @IsIn(VERIFIED_FIELDS, { each: true })
  mismatchedFields?: VerifiedField[];
}
