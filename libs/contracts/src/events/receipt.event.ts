import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Min } from 'class-validator';

export const RECEIPT_STATUSES = ['SUCCESS', 'FAILED', 'REJECTED'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/**
 * A consumer's account of one delivery: written in the same database transaction
 * as the consumer's own change, so "applied" and "reported" never disagree.
 */
export class ReceiptV1 {
  /** The event this receipt is about (its ce_id), or a topic/partition/offset reference when it had none. */
  @IsString()
  @Length(1, 200)
  eventId: string;

  @IsOptional()
  @IsString()
  eventType?: string;

  @IsString()
  @Length(1, 64)
  consumer: string;

  @IsIn(RECEIPT_STATUSES)
  status: ReceiptStatus;

  @IsOptional()
  @IsString()
  errorCode?: string;

  @IsOptional()
  @IsString()
  @Length(0, 1000)
  reason?: string;

  @IsInt()
  @Min(1)
  attempts: number;

  @IsISO8601()
  receivedAt: string;

  @IsISO8601()
  completedAt: string;
}
