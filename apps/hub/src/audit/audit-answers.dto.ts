import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * One exchange-log entry as the audit search answers it: the log's columns under their SQL
 * names (as in the CSV and NDJSON exports). No personal data: the subject is its
 * pseudonymous key and the payload only its SHA-256.
 */
export class AuditEntry {
  @ApiProperty({ description: 'Position in the log (a bigint, as a string).' }) id: string;
  @ApiProperty({ enum: ['PUBLISHED', 'RECEIPT', 'REJECTED'] }) kind: string;
  @ApiProperty() event_id: string;
  @ApiProperty({ type: String, nullable: true }) event_type: string | null;
  @ApiProperty({ type: String, nullable: true }) service_code: string | null;
  @ApiProperty({ type: String, nullable: true }) provider: string | null;
  @ApiProperty({ type: String, nullable: true }) consumer: string | null;
  @ApiProperty({ type: String, nullable: true }) status: string | null;
  @ApiProperty({ type: String, nullable: true }) error_code: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, nullable: true }) subject_hash: string | null;
  @ApiProperty({ type: String, nullable: true }) correlation_id: string | null;
  @ApiProperty({ type: String, nullable: true }) payload_sha256: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'For identity checks: MATCH, MISMATCH or NOT_FOUND.',
  })
  outcome: string | null;
  @ApiProperty({ format: 'date-time' }) occurred_at: string;
  @ApiProperty({ format: 'date-time' }) recorded_at: string;
  @ApiProperty() topic: string;
  @ApiProperty({ type: 'integer' }) kafka_partition: number;
  @ApiProperty({ description: 'A bigint, as a string.' }) kafka_offset: string;
}

/** A page of the audit search (`GET /audit/log`, `POST /audit/search`). */
export class AuditLogPage {
  @ApiProperty({ type: () => [AuditEntry] }) items: AuditEntry[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The `after` of the next page; null on the last one.',
  })
  next: string | null;
}

/** The first thing found wrong. `sealSequence: null`: the entry lies under no seal at all. */
export class VerifyProblem {
  @ApiProperty({
    enum: [
      'ALTERED',
      'REMOVED',
      'INSERTED',
      'SEAL_CHAIN_BROKEN',
      'SEAL_ALTERED',
      'BAD_SIGNATURE',
      'UNKNOWN_KEY',
      'UNSIGNED_SEAL',
    ],
  })
  kind: string;
  @ApiPropertyOptional({ description: 'The entry altered, removed or inserted.' })
  entryId?: string;
  @ApiPropertyOptional({ description: 'REMOVED: the entry after which one is missing.' })
  afterEntryId?: string;
  @ApiProperty({ type: 'integer', nullable: true }) sealSequence: number | null;
  @ApiPropertyOptional({ description: 'The key a seal names (BAD_SIGNATURE, UNKNOWN_KEY).' })
  keyId?: string;
}

/** What `POST /audit/verify` found. */
export class LogVerificationAnswer {
  @ApiProperty() ok: boolean;
  @ApiPropertyOptional({ format: 'date-time' }) from?: string;
  @ApiPropertyOptional({ format: 'date-time' }) to?: string;
  @ApiProperty({ type: 'integer', description: 'Seals found sound, up to the first problem.' })
  checkedSeals: number;
  @ApiProperty({ type: 'integer', description: 'Entries found intact in those seals.' })
  checkedEntries: number;
  @ApiProperty({
    type: 'integer',
    description: 'Sealed entries of those seals archived to files (checked offline in them).',
  })
  archivedEntries: number;
  @ApiProperty({ type: 'integer' }) signedSeals: number;
  @ApiProperty({ type: 'integer', description: 'Sound seals made before signing existed.' })
  unsignedSeals: number;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'From this seal on every seal must be signed.',
  })
  signedFrom: number | null;
  @ApiProperty({
    type: 'integer',
    description: 'Entries written after the last seal: not sealed yet, so not checked.',
  })
  unsealedEntries: number;
  @ApiProperty({
    description:
      'The newest seal’s hash: keep a copy elsewhere, whoever can rewrite the tables can rebuild the newest seals.',
  })
  headSealHash: string;
  @ApiPropertyOptional({ type: () => VerifyProblem, description: 'Only when `ok` is false.' })
  firstProblem?: VerifyProblem;
  @ApiProperty({ type: 'integer' }) tookMs: number;
}

/** One audit query, export or verification, as recorded (`GET /audit/queries`). */
export class AuditQueryRecord {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() credentialId: string;
  @ApiProperty() role: string;
  @ApiProperty({
    enum: ['query', 'export', 'verify', 'admin-actions'],
    description: 'admin-actions: a read of `GET /admin-actions`.',
  })
  action: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The filter as given, a citizen ID only as its hash.',
  })
  filter: Record<string, unknown>;
  @ApiProperty({ type: 'integer', nullable: true }) rowCount: number | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}
