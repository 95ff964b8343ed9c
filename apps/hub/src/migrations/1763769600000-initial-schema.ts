import { MESSAGING_SCHEMA_DOWN, MESSAGING_SCHEMA_UP } from '@lgsp/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763769600000 implements MigrationInterface {
  name = 'InitialSchema1763769600000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of MESSAGING_SCHEMA_UP) await q.query(sql);
    await q.query(`CREATE TABLE member_systems (
      code text PRIMARY KEY, name text NOT NULL, sector text NOT NULL,
      province char(2) NOT NULL, status text NOT NULL)`);
    await q.query(`CREATE TABLE services (
      code text PRIMARY KEY, name_vi text NOT NULL, name_en text NOT NULL,
      event_type text NOT NULL UNIQUE, provider text NOT NULL)`);
    await q.query(`CREATE TABLE subscriptions (
      consumer text NOT NULL, service text NOT NULL, purpose text NOT NULL, status text NOT NULL,
      PRIMARY KEY (consumer, service))`);
    await q.query(`CREATE TABLE log_entries (
      id bigserial PRIMARY KEY,
      kind text NOT NULL,
      event_id text NOT NULL,
      event_type text, service_code text, provider text, consumer text,
      status text, error_code text, reason text,
      subject_hash text, correlation_id text, payload_sha256 char(64),
      occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL)`);
    await q.query(
      'CREATE UNIQUE INDEX "IDX_log_entries_position" ON log_entries (topic, kafka_partition, kafka_offset)',
    );
    await q.query(`CREATE TABLE transactions (
      event_id text NOT NULL, consumer text NOT NULL,
      event_type text, service_code text, provider text,
      status text NOT NULL, error_code text, reason text, attempts integer,
      subject_hash text, correlation_id text,
      published_at timestamptz, received_at timestamptz, completed_at timestamptz, latency_ms integer,
      PRIMARY KEY (event_id, consumer))`);
    await q.query(
      'CREATE INDEX "IDX_transactions_service_time" ON transactions (service_code, published_at)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'transactions',
      'log_entries',
      'subscriptions',
      'services',
      'member_systems',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
    for (const sql of MESSAGING_SCHEMA_DOWN) await q.query(sql);
  }
}
