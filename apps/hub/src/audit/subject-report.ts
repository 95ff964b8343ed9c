import type { DataSource } from 'typeorm';
import type { SubjectReport, SubjectReportExchange } from './subject-report.dto';

/** A citizen's whole history fits well within this; beyond it the report says it was cut. */
export const SUBJECT_REPORT_LIMIT = 10_000;

/**
 * Every transaction about one subject, oldest first, with the names the catalogue gives its
 * service and systems. The events are found through the log's subject index (one probe per
 * monthly partition), their transactions through the primary key: no scan of `transactions`,
 * and no index on it that every write would have to keep up.
 */
export async function subjectReport(
  dataSource: DataSource,
  subjectHash: string,
  now = new Date(),
): Promise<SubjectReport> {
  const rows = await dataSource.query<SubjectReportExchange[]>(
    `SELECT t.event_id AS "eventId", t.event_type AS "eventType",
            t.published_at AS "publishedAt", t.completed_at AS "completedAt",
            t.service_code AS service, s.name_vi AS "serviceName",
            t.provider, p.name AS "providerName", t.consumer, c.name AS "consumerName",
            st.purpose, st.legal_basis AS "legalBasis", t.status, t.error_code AS "errorCode", t.late
       FROM transactions t
       LEFT JOIN services s ON s.code = t.service_code
       LEFT JOIN member_systems p ON p.code = t.provider
       LEFT JOIN member_systems c ON c.code = t.consumer
       LEFT JOIN subscription_terms st ON st.id = t.terms_id
      WHERE t.event_id IN (SELECT event_id FROM log_entries WHERE subject_hash = $1)
        AND t.subject_hash = $1
      ORDER BY COALESCE(t.published_at, t.completed_at), t.event_id, t.consumer
      LIMIT $2`,
    [subjectHash, SUBJECT_REPORT_LIMIT + 1],
  );
  const exchanges = rows.slice(0, SUBJECT_REPORT_LIMIT).map((r) => ({
    ...r,
    publishedAt: iso(r.publishedAt),
    completedAt: iso(r.completedAt),
  }));
  return {
    generatedAt: now.toISOString(),
    subjectHash,
    exchanges,
    truncated: rows.length > SUBJECT_REPORT_LIMIT,
  };
}

const iso = (v: string | Date | null): string | null =>
  v === null ? null : new Date(v).toISOString();
