import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

export const REJECTION_CHANNELS = ['HTTP', 'KAFKA'] as const;

/**
 * The hub refused an event at its door (unknown or unauthorised publisher, invalid
 * envelope or payload). Carries no payload content: only its SHA-256.
 */
export class RejectionV1 {
  /** The refused event's id when it had one, else the hub's reference for the attempt. */
  @IsString()
  @Length(1, 200)
  eventId: string;

  /** The event type as claimed by the publisher, if any. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  eventType?: string;

  /** The authenticated (or claimed) publishing system, if known. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  provider?: string;

  @IsIn(REJECTION_CHANNELS)
  channel: (typeof REJECTION_CHANNELS)[number];

  @IsString()
  @Length(1, 100)
  errorCode: string;

  @IsString()
  @Length(1, 1000)
  reason: string;

  @IsOptional()
  @IsInt()
  @Min(400)
  @Max(599)
  httpStatus?: number;

  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/)
  payloadSha256?: string;

  @IsISO8601()
  receivedAt: string;
}
