import { IsUUID } from 'class-validator';
import { IsBhytCardNumber } from '../validation/domain-validators';
import { VerificationOutcomeV1 } from './identity-verification';

/** population → insurance: whether a card's holder matches the personal ID it is to be linked to. */
export class CardLinkVerifiedV1 extends VerificationOutcomeV1 {
  @IsBhytCardNumber()
  cardNumber: string;

  @IsUUID()
  batchId: string;
}
