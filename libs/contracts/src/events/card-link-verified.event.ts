import { ArrayUnique, IsArray, IsIn, IsUUID, ValidateIf } from 'class-validator';
import { IsBhytCardNumber, IsPersonalId, ClassSchema } from '../validation/domain-validators';
import {
  VERIFICATION_RESULTS,
  VERIFIED_FIELDS,
  type VerificationResult,
  type VerifiedField,
} from './identity-verification';

/** population → insurance: whether a card's holder matches the personal ID it is to be linked to. */
@ClassSchema({
  anyOf: [
    { properties: { result: { enum: ['MATCH', 'NOT_FOUND'] } } },
    { required: ['mismatchedFields'] },
  ],
})
export class CardLinkVerifiedV1 {
  @IsBhytCardNumber()
  cardNumber: string;

  @IsPersonalId()
  personalId: string;

  @IsUUID()
  batchId: string;

  @IsIn(VERIFICATION_RESULTS)
  result: VerificationResult;

  @ValidateIf(
    (o: CardLinkVerifiedV1) => o.result === 'MISMATCH' || o.mismatchedFields !== undefined,
  )
  @IsArray()
  @ArrayUnique()
  @IsIn(VERIFIED_FIELDS, { each: true })
  mismatchedFields?: VerifiedField[];
}
