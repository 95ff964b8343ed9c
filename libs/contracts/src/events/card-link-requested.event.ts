import { IsUUID } from 'class-validator';
import {
  AgreesWithPersonalId,
  IsBhytCardNumber,
  IsNfcText,
  IsPastDate,
  IsPersonalId,
} from '../validation/domain-validators';

/** insurance → an existing card is to be linked to its holder's personal ID, once verified. */
export class CardLinkRequestedV1 {
  @IsBhytCardNumber()
  cardNumber: string;

  @IsPersonalId()
  personalId: string;

  @IsNfcText(2, 100)
  fullName: string;

  @IsPastDate()
  @AgreesWithPersonalId('personalId')
  dateOfBirth: string;

  @IsUUID()
  batchId: string;
}
