import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, IsUUID, Length } from 'class-validator';

/**
 * hub → one consumer: run these dead letters again (the cause has been fixed). The
 * consumer re-runs each from its own copy and sends a new receipt; only an event whose
 * last outcome was FAILED or REJECTED is run again.
 */
export class ReplayRequestedV1 {
  @IsUUID()
  requestId: string;

  @IsString()
  @Length(1, 64)
  consumer: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  eventIds: string[];

  /** Who asked: the operator credential's id. */
  @IsString()
  @Length(1, 100)
  requestedBy: string;
}
