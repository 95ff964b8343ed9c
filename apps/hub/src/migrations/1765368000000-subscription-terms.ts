import { dropAppendOnly, makeAppendOnly } from '@lgsp/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The purpose and legal basis a transaction was delivered under move out of each
 * `transactions` row into `subscription_terms`: one immutable row per wording a subscription
 * has had, which transactions refer to by id. The log keeps the same history (a change of
 * wording is a new row; the old one stays), while the table the hub updates most stays
 * narrow: the two texts made its rows about twice as wide.
 */
export class SubscriptionTerms1765368000000 implements MigrationInterface {
  name = 'SubscriptionTerms1765368000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE subscription_terms (
      id serial PRIMARY KEY,
      consumer text NOT NULL,
      service_code text NOT NULL,
      purpose text NOT NULL,
      legal_basis text,
      first_used_at timestamptz NOT NULL DEFAULT now()
    )`);
    // The texts are compared by digest: a long legal basis stays within an index entry.
    await q.query(`CREATE UNIQUE INDEX "UQ_subscription_terms_wording" ON subscription_terms
      (consumer, service_code, md5(purpose), (legal_basis IS NULL), md5(COALESCE(legal_basis, '')))`);
    await makeAppendOnly(q, 'subscription_terms');
    // No foreign key: terms rows are never deleted (the trigger), and a key would add a probe
    // of subscription_terms to every insert into the busiest table.
    await q.query('ALTER TABLE transactions ADD COLUMN terms_id integer');
    // The backfill reads and rewrites every transaction that has texts: on a large log it
    // takes longer than the services' statement timeout, so this migration lifts it (and
    // waits for the table's lock rather than give up). The roll-ups are not touched by it:
    // their trigger is off for the update (statuses and latencies do not change).
    await q.query('SET LOCAL statement_timeout = 0');
    await q.query('SET LOCAL lock_timeout = 0');
    await q.query(`INSERT INTO subscription_terms (consumer, service_code, purpose, legal_basis, first_used_at)
      SELECT consumer, service_code, purpose, legal_basis, COALESCE(min(published_at), now())
        FROM transactions
       WHERE purpose IS NOT NULL AND service_code IS NOT NULL
       GROUP BY consumer, service_code, purpose, legal_basis`);
    await q.query('ALTER TABLE transactions DISABLE TRIGGER transactions_rollup_updated');
    await q.query(`UPDATE transactions t SET terms_id = s.id FROM subscription_terms s
      WHERE t.purpose IS NOT NULL AND s.consumer = t.consumer AND s.service_code = t.service_code
        AND s.purpose = t.purpose AND s.legal_basis IS NOT DISTINCT FROM t.legal_basis`);
    await q.query('ALTER TABLE transactions ENABLE TRIGGER transactions_rollup_updated');
    await q.query('ALTER TABLE transactions DROP COLUMN purpose, DROP COLUMN legal_basis');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE transactions ADD COLUMN purpose text, ADD COLUMN legal_basis text');
    await q.query(`UPDATE transactions t SET purpose = s.purpose, legal_basis = s.legal_basis
      FROM subscription_terms s WHERE s.id = t.terms_id`);
    await q.query('ALTER TABLE transactions DROP COLUMN terms_id');
    await q.query('DROP TABLE subscription_terms');
    await dropAppendOnly(q, 'subscription_terms');
  }
}
