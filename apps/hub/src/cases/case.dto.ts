import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TRANSACTION_STATUSES } from '../exchange-log/transaction.dto';

/** One delivery of a step's event to a subscribing consumer. */
export class CaseDelivery {
  @ApiProperty() consumer: string;
  @ApiProperty({ enum: TRANSACTION_STATUSES }) status: string;
  @ApiProperty({ type: String, nullable: true }) errorCode: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) latencyMs: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: string | null;
  @ApiProperty({ description: 'The receipt came after the delivery deadline.' }) late: boolean;
}

/** Why the hub refused a step's event. */
export class CaseRejection {
  @ApiProperty({ type: String, nullable: true }) errorCode: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
}

/** One event of the case, in the order they happened, with its deliveries. */
export class CaseStep {
  @ApiProperty() eventId: string;
  @ApiProperty({ type: String, nullable: true }) eventType: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The service code.' })
  service: string | null;
  @ApiProperty({ type: String, nullable: true }) provider: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiPropertyOptional({
    type: () => CaseRejection,
    description: 'Only when the hub refused the event.',
  })
  rejected?: CaseRejection;
  @ApiProperty({ type: () => [CaseDelivery] }) deliveries: CaseDelivery[];
}

/** The delivery where the case stopped: the one that failed, or the one still waiting. */
export class CaseStop {
  @ApiProperty() eventId: string;
  @ApiProperty() consumer: string;
  @ApiProperty({ enum: TRANSACTION_STATUSES }) status: string;
  @ApiProperty({ type: String, nullable: true }) errorCode: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
}

/** A case (`GET /cases/{correlationId}`): every event and delivery of one correlation id. */
export class Case {
  @ApiProperty({ description: 'As asked.' }) correlationId: string;
  @ApiProperty({ enum: ['COMPLETE', 'IN_PROGRESS', 'STUCK', 'FAILED'] }) status: string;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ format: 'date-time' }) lastActivityAt: string;
  @ApiProperty({ type: 'integer' }) durationMs: number;
  @ApiPropertyOptional({
    type: () => CaseStop,
    description: 'Only when the case is FAILED or STUCK.',
  })
  stoppedAt?: CaseStop;
  @ApiProperty({ type: () => [CaseStep] }) steps: CaseStep[];
}

/** A case with a delivery still waiting past the delivery deadline (`GET /cases?status=stuck`). */
export class StuckCase {
  @ApiProperty() correlationId: string;
  @ApiProperty({ format: 'date-time' }) lastActivityAt: string;
  @ApiProperty({ type: 'integer', description: 'Deliveries PENDING or TIMED_OUT.' })
  waitingDeliveries: number;
}
