import { databaseUrl, testRun } from '@lgsp/testing';
import { dropDatabase, ensureDatabase, VacuumUpkeep } from '@lgsp/persistence';
import pino from 'pino';
import { DataSource } from 'typeorm';

/** Dead rows of a table, as the server's statistics have them now. */
async function deadRows(ds: DataSource, table: string): Promise<number> {
  await ds.query('SELECT pg_stat_force_next_flush()');
  const [row] = await ds.query<{ n: string }[]>(
    'SELECT n_dead_tup AS n FROM pg_stat_user_tables WHERE relname = $1',
    [table],
  );
  return Number(row.n);
}

describe('VacuumUpkeep', () => {
  const { runId, postgresUrl } = testRun();
  const url = databaseUrl(postgresUrl, `lgsp_${runId}_vacuum`);
  let ds: DataSource;

  beforeAll(async () => {
    await ensureDatabase(url);
    ds = await new DataSource({ type: 'postgres', url }).initialize();
  });

  afterAll(async () => {
    await ds.destroy();
    await dropDatabase(url);
  });

  it('vacuums a queue table full of dead rows when the server does not, and leaves a clean one alone', async () => {
    const [{ autovacuum }] = await ds.query<{ autovacuum: string }[]>(
      `SELECT current_setting('autovacuum') AS autovacuum`,
    );
    await ds.query('CREATE TABLE queue (id bigserial PRIMARY KEY, body text)');
    await ds.query('CREATE TABLE quiet (id bigserial PRIMARY KEY, body text)');
    await ds.query(`INSERT INTO queue (body) SELECT 'x' FROM generate_series(1, 5000)`);
    await ds.query(`INSERT INTO quiet (body) SELECT 'x' FROM generate_series(1, 5000)`);
    // One connection for both, so that its statistics are flushed when it goes idle.
    await ds.query('DELETE FROM queue; SELECT pg_stat_force_next_flush()');
    expect(await deadRows(ds, 'queue')).toBe(5000);
    const upkeep = new VacuumUpkeep(ds, pino({ level: 'silent' }));
    const vacuumed = await upkeep.once();
    if (autovacuum === 'on') {
      expect(vacuumed).toEqual([]); // the server's own autovacuum looks after it
      return;
    }
    expect(await deadRows(ds, 'queue')).toBe(0);
    expect(vacuumed).toEqual(['public.queue']);
  });
});
