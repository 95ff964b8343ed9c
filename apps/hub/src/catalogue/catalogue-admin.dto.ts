import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsNfcText, IsProvinceCode } from '@lgsp/contracts';

export const STATUSES = ['ACTIVE', 'DISABLED'] as const;
const CODE = /^[a-z][a-z0-9-]{1,40}$/;

export class CreateSystemDto {
  @Matches(CODE, { message: 'code must be lower-case letters, digits and dashes' })
  code: string;

  @IsNfcText(2, 200)
  name: string;

  @IsString()
  @Length(2, 40)
  sector: string;

  @IsProvinceCode()
  province: string;

  @IsIn(STATUSES)
  status: (typeof STATUSES)[number];
}

export class UpdateSystemDto {
  @IsOptional()
  @IsNfcText(2, 200)
  name?: string;

  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];
}

export class PutServiceDto {
  @IsNfcText(2, 200)
  nameVi: string;

  @IsNfcText(2, 200)
  nameEn: string;

  @IsString()
  eventType: string;

  @Matches(CODE)
  provider: string;
}

/** A whole subscription: what is not given (the legal basis) is not stated any more. */
export class PutSubscriptionDto {
  @IsNfcText(2, 500)
  purpose: string;

  @IsOptional()
  @IsNfcText(2, 500)
  legalBasis?: string;

  @IsIn(STATUSES)
  status: (typeof STATUSES)[number];
}

/** Some fields of an existing subscription; the others stay as they are. */
export class UpdateSubscriptionDto {
  @IsOptional()
  @IsNfcText(2, 500)
  purpose?: string;

  @IsOptional()
  @IsNfcText(2, 500)
  legalBasis?: string;

  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];
}
