import { IsPersonalId } from '@lgsp/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export const SUBJECT_REPORT_FORMATS = ['json', 'csv', 'html'] as const;
export type SubjectReportFormat = (typeof SUBJECT_REPORT_FORMATS)[number];

/** Whose history, and in which form. */
export class SubjectReportRequest {
  /** A citizen's ID number: hashed by the server, never stored or logged. */
  @ApiProperty({ description: 'The 12-digit personal ID number (hashed by the hub, never kept).' })
  @IsPersonalId()
  citizenId: string;

  @ApiPropertyOptional({
    enum: SUBJECT_REPORT_FORMATS,
    description: 'json (default), csv, or html: a printable document in Vietnamese.',
  })
  @IsOptional()
  @IsIn(SUBJECT_REPORT_FORMATS)
  format?: SubjectReportFormat;
}

/** One exchange about the citizen: one event delivered to one system. */
export class SubjectReportExchange {
  @ApiProperty() eventId: string;
  @ApiProperty({ type: String, nullable: true }) eventType: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) service: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The service’s Vietnamese name.' })
  serviceName: string | null;
  @ApiProperty({ type: String, nullable: true }) provider: string | null;
  @ApiProperty({ type: String, nullable: true }) providerName: string | null;
  @ApiProperty() consumer: string;
  @ApiProperty({ type: String, nullable: true }) consumerName: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'As the subscription stated it when the transaction opened; null before that was kept.',
  })
  purpose: string | null;
  @ApiProperty({ type: String, nullable: true }) legalBasis: string | null;
  @ApiProperty({ enum: ['PENDING', 'SUCCESS', 'FAILED', 'REJECTED', 'TIMED_OUT'] })
  status: string;
  @ApiProperty({ type: String, nullable: true }) errorCode: string | null;
  @ApiProperty({ description: 'The receipt came after the delivery deadline.' }) late: boolean;
}

/** Every exchange about one citizen (`/audit/subject-report`), oldest first. */
export class SubjectReport {
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ description: 'The citizen’s pseudonymous subject key (never the ID number).' })
  subjectHash: string;
  @ApiProperty({ type: () => [SubjectReportExchange] }) exchanges: SubjectReportExchange[];
  @ApiProperty({ description: 'More than 10,000 exchanges: only the oldest 10,000 are listed.' })
  truncated: boolean;
}
