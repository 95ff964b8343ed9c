import { CitizenRefV1, NewbornV1 } from '@lgsp/contracts';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, ValidateIf, ValidateNested } from 'class-validator';

/** What a registrar submits; the registration id, date and province are set by the system. */
export class RegisterBirthDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => NewbornV1)
  child: NewbornV1;

  @ValidateIf((o: RegisterBirthDto) => o.mother !== undefined || o.father === undefined)
  @IsDefined({ message: 'mother or father must be given' })
  @IsObject()
  @ValidateNested()
  @Type(() => CitizenRefV1)
  mother?: CitizenRefV1;

  @ValidateIf((o: RegisterBirthDto) => o.father !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => CitizenRefV1)
  father?: CitizenRefV1;
}

export interface BirthRegistrationResult {
  registrationId: string;
  eventId: string;
  correlationId: string;
  childPersonalId: string | null;
}
