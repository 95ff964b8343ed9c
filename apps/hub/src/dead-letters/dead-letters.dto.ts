import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Dead letters counted by consumer, service, status and error code (`GET /dead-letters/summary`). */
export class DeadLetterGroup {
  @ApiProperty() consumer: string;
  @ApiProperty({ type: String, nullable: true, description: 'The service code.' })
  service: string | null;
  @ApiProperty({ enum: ['FAILED', 'REJECTED'] }) status: string;
  @ApiProperty({ type: String, nullable: true }) errorCode: string | null;
  @ApiProperty({ type: 'integer' }) count: number;
}

/** A dry run's count for one consumer. */
export class ReplayPreviewConsumer {
  @ApiProperty() consumer: string;
  @ApiProperty({ type: 'integer' }) events: number;
}

/** One replay request sent to a consumer (at most 500 events each). */
export class ReplayRequestSent {
  @ApiProperty() consumer: string;
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ type: 'integer' }) events: number;
}

/** What `POST /dead-letters/replay` did, or with `dryRun` would do. */
export class ReplayAnswer {
  @ApiPropertyOptional({ description: 'Only for a dry run (always true): nothing replayed.' })
  dryRun?: boolean;
  @ApiProperty({ type: 'integer', description: 'Dead letters matched by the filter.' })
  requested: number;
  @ApiPropertyOptional({
    type: () => [ReplayPreviewConsumer],
    description: 'Only for a dry run: the count per consumer.',
  })
  consumers?: ReplayPreviewConsumer[];
  @ApiPropertyOptional({
    type: () => [ReplayRequestSent],
    description: 'Only when replayed: the requests sent.',
  })
  requests?: ReplayRequestSent[];
}
