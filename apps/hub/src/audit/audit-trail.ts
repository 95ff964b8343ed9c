import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { RequestWithPrincipal } from '../access/access.guard';

/**
 * Records one audit action in `audit_queries`: which credential and role, when (the row's
 * default), what was asked (a citizen only as the subject hash) and how many rows it gave.
 */
export async function recordAuditQuery(
  dataSource: DataSource,
  req: RequestWithPrincipal,
  action: string,
  filter: Record<string, unknown>,
  rowCount: number,
): Promise<void> {
  await dataSource.query(
    `INSERT INTO audit_queries (id, credential_id, role, action, filter, row_count) VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
    [
      randomUUID(),
      req.principal?.credentialId ?? 'unknown',
      req.principal?.role ?? 'unknown',
      action,
      JSON.stringify(filter),
      rowCount,
    ],
  );
}
