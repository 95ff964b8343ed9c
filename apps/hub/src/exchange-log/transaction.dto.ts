import { ApiProperty } from '@nestjs/swagger';

export const TRANSACTION_STATUSES = ['PENDING', 'SUCCESS', 'FAILED', 'REJECTED', 'TIMED_OUT'];

/**
 * One transaction (an event × a subscribing consumer) as `GET /transactions`,
 * `GET /transactions/{eventId}` and `GET /dead-letters` answer it: every column of the
 * projection, times as ISO strings.
 */
export class Transaction {
  @ApiProperty() eventId: string;

  @ApiProperty({ description: 'The consuming system (`hub` for the hub’s own checks).' })
  consumer: string;

  @ApiProperty({ type: String, nullable: true }) eventType: string | null;

  @ApiProperty({ type: String, nullable: true }) serviceCode: string | null;

  @ApiProperty({ type: String, nullable: true }) provider: string | null;

  @ApiProperty({ enum: TRANSACTION_STATUSES }) status: string;

  @ApiProperty({ type: String, nullable: true }) errorCode: string | null;

  @ApiProperty({ type: String, nullable: true }) reason: string | null;

  @ApiProperty({ type: 'integer', nullable: true }) attempts: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The subject’s pseudonymous key (never a citizen ID).',
  })
  subjectHash: string | null;

  @ApiProperty({ type: String, nullable: true }) correlationId: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The purpose of the subscription it was delivered under, as the catalogue had it then.',
  })
  purpose: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The legal basis of that subscription, as the catalogue had it then.',
  })
  legalBasis: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true }) receivedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Published to completed, in ms.' })
  latencyMs: number | null;

  @ApiProperty({ description: 'The receipt came after the delivery deadline.' })
  late: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true }) timedOutAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  replayRequestedAt: string | null;
}
