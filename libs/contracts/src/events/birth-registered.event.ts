import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsUUID, ValidateIf, ValidateNested } from 'class-validator';
import { IsPastDate, IsProvinceCode, ClassSchema } from '../validation/domain-validators';
import { CitizenRefV1, NewbornV1 } from './person';

/** civil-status → a birth was registered (đăng ký khai sinh). */
@ClassSchema({ anyOf: [{ required: ['mother'] }, { required: ['father'] }] })
export class BirthRegisteredV1 {
  @IsUUID()
  registrationId: string;

  @IsPastDate()
  registeredOn: string;

  /** Province where the birth was registered: the first digits of the child's personal ID. */
  @IsProvinceCode()
  registrationProvinceCode: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => NewbornV1)
  child: NewbornV1;

  @ValidateIf((o: BirthRegisteredV1) => o.mother !== undefined || o.father === undefined)
  @IsDefined({ message: 'mother or father must be given' })
  @IsObject()
  @ValidateNested()
  @Type(() => CitizenRefV1)
  mother?: CitizenRefV1;

  @ValidateIf((o: BirthRegisteredV1) => o.father !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => CitizenRefV1)
  father?: CitizenRefV1;
}
