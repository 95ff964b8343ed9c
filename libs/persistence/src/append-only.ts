import type { QueryRunner } from 'typeorm';

/**
 * Makes a table append-only for everyone who connects as the services do: a trigger refuses
 * UPDATE and DELETE of a row, another refuses TRUNCATE, each with a message naming the
 * table. For a migration's `up`; `dropAppendOnly` undoes it in `down`. (Tables made
 * append-only before this helper carry the same triggers, written out in their migrations.)
 */
export async function makeAppendOnly(q: QueryRunner, table: string): Promise<void> {
  const fn = `lgsp_${table}_append_only`;
  await q.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '${table} is append-only: % refused', TG_OP;
    END $$`);
  await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
    FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
  await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
    FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
}

/** Removes what `makeAppendOnly` made (the table's own drop takes its triggers with it). */
export async function dropAppendOnly(q: QueryRunner, table: string): Promise<void> {
  await q.query(`DROP FUNCTION IF EXISTS lgsp_${table}_append_only() CASCADE`);
}
