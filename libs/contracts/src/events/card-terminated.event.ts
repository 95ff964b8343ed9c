import { IsIn } from 'class-validator';
import { IsBhytCardNumber, IsPastDate, IsPersonalId } from '../validation/domain-validators';

export const CARD_TERMINATION_REASONS = ['DECEASED'] as const;

/** insurance → a card stopped being valid. */
export class CardTerminatedV1 {
  @IsBhytCardNumber()
  cardNumber: string;

  @IsPersonalId()
  personalId: string;

  /** The card's last day of validity. */
  @IsPastDate()
  terminatedOn: string;

  @IsIn(CARD_TERMINATION_REASONS)
  reason: (typeof CARD_TERMINATION_REASONS)[number];
}
