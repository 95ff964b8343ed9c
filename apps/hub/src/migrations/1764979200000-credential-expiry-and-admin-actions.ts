import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credentials that expire and that replace another (rotation), and the record of every
 * administrator action, which refuses updates and deletes: it is append-only.
 */
export class CredentialExpiryAndAdminActions1764979200000 implements MigrationInterface {
  name = 'CredentialExpiryAndAdminActions1764979200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE credentials ADD COLUMN expires_at timestamptz');
    await q.query('ALTER TABLE credentials ADD COLUMN replaces_id uuid');
    await q.query(`CREATE TABLE admin_actions (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor_credential_id text NOT NULL,
      actor_role text NOT NULL,
      actor_label text NOT NULL,
      action text NOT NULL,
      target text NOT NULL,
      details jsonb NOT NULL,
      correlation_id text)`);
    await q.query('CREATE INDEX "IDX_admin_actions_at" ON admin_actions (at)');
    await q.query(`CREATE FUNCTION lgsp_admin_actions_append_only() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'admin_actions is append-only: % refused', TG_OP;
      END $$`);
    await q.query(`CREATE TRIGGER admin_actions_append_only
      BEFORE UPDATE OR DELETE ON admin_actions
      FOR EACH ROW EXECUTE FUNCTION lgsp_admin_actions_append_only()`);
    await q.query(`CREATE TRIGGER admin_actions_no_truncate
      BEFORE TRUNCATE ON admin_actions
      FOR EACH STATEMENT EXECUTE FUNCTION lgsp_admin_actions_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE admin_actions');
    await q.query('DROP FUNCTION lgsp_admin_actions_append_only()');
    await q.query('ALTER TABLE credentials DROP COLUMN replaces_id');
    await q.query('ALTER TABLE credentials DROP COLUMN expires_at');
  }
}
