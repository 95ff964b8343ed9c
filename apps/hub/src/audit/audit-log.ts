import { IsPersonalId } from '@lgsp/contracts';
import { subjectKey } from '@lgsp/messaging';
import { StoredValues } from '../privacy/stored-values';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsNumberString,
  IsOptional,
  IsString,
  Max,
  Min,
} from 'class-validator';

export class AuditFilter {
  @IsOptional()
  @IsISO8601()
  from?: string;

  @IsOptional()
  @IsISO8601()
  to?: string;

  @IsOptional()
  @IsString()
  service?: string;

  @IsOptional()
  @IsString()
  provider?: string;

  @IsOptional()
  @IsString()
  consumer?: string;

  @IsOptional()
  @IsIn(['PUBLISHED', 'SUCCESS', 'FAILED', 'REJECTED'])
  status?: string;

  @IsOptional()
  @IsString()
  correlationId?: string;

  @IsOptional()
  @IsString()
  eventId?: string;

  /** A citizen's ID number: hashed by the server, never stored or logged. */
  @IsOptional()
  @IsPersonalId()
  citizenId?: string;
}

export class AuditQueryDto extends AuditFilter {
  /** Keyset cursor: the `next` of the previous page. */
  @IsOptional()
  @IsNumberString()
  after?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class ExportDto extends AuditFilter {
  /** `sealed`: NDJSON with the seals that cover the entries, checkable offline (hubctl audit verify --export). */
  @IsIn(['csv', 'ndjson', 'sealed'])
  format: 'csv' | 'ndjson' | 'sealed';
}

export const AUDIT_COLUMNS = [
  'id',
  'kind',
  'event_id',
  'event_type',
  'service_code',
  'provider',
  'consumer',
  'status',
  'error_code',
  'reason',
  'subject_hash',
  'correlation_id',
  'payload_sha256',
  'outcome',
  'occurred_at',
  'recorded_at',
  'topic',
  'kafka_partition',
  'kafka_offset',
] as const;

/** SQL conditions and parameters for a filter; the citizen ID is turned into its subject hash here. */
export function auditWhere(
  f: AuditFilter,
  subjectHashKey: string,
): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    conditions.push(sql.replace('?', `$${params.length}`));
  };
  if (f.from) add('occurred_at >= ?', f.from);
  if (f.to) add('occurred_at < ?', f.to);
  if (f.service) add('service_code = ?', f.service);
  if (f.provider) add('provider = ?', f.provider);
  if (f.consumer) add('consumer = ?', f.consumer);
  if (f.status) add('status = ?', f.status);
  // Ids are stored as the hub keeps them (a non-UUID one derived); older entries as given.
  const ids = f.correlationId || f.eventId ? new StoredValues(subjectHashKey) : undefined;
  if (f.correlationId) add('correlation_id = ANY(?)', ids!.searchedIds(f.correlationId));
  if (f.eventId) add('event_id = ANY(?)', ids!.searchedIds(f.eventId));
  if (f.citizenId) add('subject_hash = ?', subjectKey(subjectHashKey, f.citizenId));
  return { sql: conditions.length ? conditions.join(' AND ') : 'true', params };
}

/**
 * The filter as recorded in the audit trail: a citizen ID only as its hash, ids as the hub
 * stores them (one that is not a UUID, which might carry an ID number, derived).
 */
export function recordedFilter(f: AuditFilter, subjectHashKey: string): Record<string, unknown> {
  const { citizenId, ...rest } = f;
  const ids = new StoredValues(subjectHashKey);
  return {
    ...rest,
    ...(rest.correlationId ? { correlationId: ids.id(rest.correlationId) } : {}),
    ...(rest.eventId ? { eventId: ids.id(rest.eventId) } : {}),
    ...(citizenId ? { citizenSubjectHash: subjectKey(subjectHashKey, citizenId) } : {}),
  };
}

const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  let s: string;
  if (v instanceof Date) s = v.toISOString();
  else if (typeof v === 'string') s = v;
  else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
    s = v.toString();
  else s = JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const csvHeader = `${AUDIT_COLUMNS.join(',')}\n`;
export const csvLine = (row: Record<string, unknown>) =>
  `${AUDIT_COLUMNS.map((c) => csvCell(row[c])).join(',')}\n`;
export const ndjsonLine = (row: Record<string, unknown>) => `${JSON.stringify(row)}\n`;
