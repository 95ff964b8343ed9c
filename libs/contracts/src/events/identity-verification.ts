import { ArrayUnique, IsArray, IsIn, ValidateIf } from 'class-validator';
import { ClassSchema, IsPersonalId } from '../validation/domain-validators';

export const VERIFICATION_RESULTS = ['MATCH', 'MISMATCH', 'NOT_FOUND'] as const;
export type VerificationResult = (typeof VERIFICATION_RESULTS)[number];

export const VERIFIED_FIELDS = ['fullName', 'dateOfBirth'] as const;
export type VerifiedField = (typeof VERIFIED_FIELDS)[number];

/** population's answer to an identity check; MISMATCH names the fields that differ. */
@ClassSchema({
  anyOf: [
    { properties: { result: { enum: ['MATCH', 'NOT_FOUND'] } } },
    { required: ['mismatchedFields'] },
  ],
})
export class VerificationOutcomeV1 {
  @IsPersonalId()
  personalId: string;

  @IsIn(VERIFICATION_RESULTS)
  result: VerificationResult;

  /** Which given fields differ from the population register (MISMATCH only). */
  @ValidateIf(
    (o: VerificationOutcomeV1) => o.result === 'MISMATCH' || o.mismatchedFields !== undefined,
  )
  @IsArray()
  @ArrayUnique()
  @IsIn(VERIFIED_FIELDS, { each: true })
  mismatchedFields?: VerifiedField[];
}
