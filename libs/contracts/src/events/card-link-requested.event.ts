import { IsUUID } from 'class-validator';
import { IsBhytCardNumber } from '../validation/domain-validators';
import { IdentityV1 } from './person';

/** insurance → an existing card is to be linked to its holder's personal ID, once verified. */
export class CardLinkRequestedV1 extends IdentityV1 {
  @IsBhytCardNumber()
  cardNumber: string;

  @IsUUID()
  batchId: string;
}
