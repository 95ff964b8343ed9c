import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsPositive,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { COMMUNE_CODE, LAND_USE_PURPOSES, type LandUsePurpose } from '../domain/land';
import { IsPastDate } from '../validation/domain-validators';
import { IdentityV1 } from './person';

export class ParcelV1 {
  @Matches(COMMUNE_CODE, { message: 'communeCode must be a five-digit commune code' })
  communeCode: string;

  @IsInt()
  @Min(1)
  @Max(99_999)
  mapSheetNumber: number;

  @IsInt()
  @Min(1)
  @Max(999_999)
  parcelNumber: number;

  /** Area in m², at most two decimals. */
  @IsNumber({ maxDecimalPlaces: 2 })
  @IsPositive()
  @Max(100_000_000)
  areaM2: number;

  @IsIn(LAND_USE_PURPOSES)
  landUsePurpose: LandUsePurpose;
}

export class OwnerV1 extends IdentityV1 {
  @IsUUID()
  ownerId: string;
}

/** land → a parcel's owners were registered; their identities are to be verified. */
export class OwnershipRegisteredV1 {
  @IsUUID()
  registrationId: string;

  @IsPastDate()
  registeredOn: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ParcelV1)
  parcel: ParcelV1;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OwnerV1)
  owners: OwnerV1[];
}
