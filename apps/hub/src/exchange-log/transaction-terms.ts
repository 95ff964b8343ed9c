import type { DataSource } from 'typeorm';
import type { ExchangeTransaction } from './exchange-log.entities';

/**
 * Gives each transaction the purpose and legal basis it was delivered under, read from
 * `subscription_terms` (one query for the whole set).
 */
export async function withTerms(
  dataSource: DataSource,
  found: ExchangeTransaction[],
): Promise<ExchangeTransaction[]> {
  if (found.length === 0) return found;
  const keys = found.map((t) => ({ event_id: t.eventId, consumer: t.consumer }));
  const terms = await dataSource.query<
    { event_id: string; consumer: string; purpose: string | null; legal_basis: string | null }[]
  >(
    `SELECT k.event_id, k.consumer, st.purpose, st.legal_basis
       FROM jsonb_to_recordset($1::jsonb) AS k(event_id text, consumer text)
       JOIN transactions t ON t.event_id = k.event_id AND t.consumer = k.consumer
       LEFT JOIN subscription_terms st ON st.id = t.terms_id`,
    [JSON.stringify(keys)],
  );
  const byKey = new Map(terms.map((r) => [`${r.event_id}\u0000${r.consumer}`, r]));
  for (const t of found) {
    const r = byKey.get(`${t.eventId}\u0000${t.consumer}`);
    t.purpose = r?.purpose ?? null;
    t.legalBasis = r?.legal_basis ?? null;
  }
  return found;
}
