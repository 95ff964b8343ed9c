import { PeriodicTask } from '@lgsp/observability';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';

/** Vacuumed when it holds at least this many dead rows and they are a tenth of it or more. */
const MIN_DEAD_ROWS = 1000;

/**
 * A manual VACUUM runs unthrottled: over the hub's transactions after a busy minute it takes
 * a core for one to two seconds, and where every service shares the machine's cores, the
 * receipts of those seconds wait for it (measured: the flow benchmark's half-load p99 rose
 * to 300–500 ms in each second of such a run, from under 250 ms). So it runs with the
 * cost-based delay autovacuum itself uses (PostgreSQL's defaults for autovacuum): longer,
 * and nobody waits for it.
 */
const VACUUM_COST_DELAY = '2ms';
const VACUUM_COST_LIMIT = 200;

/**
 * Its WAL compressed: a VACUUM writes a full image of every page it is the first to change
 * since the last checkpoint (120 MB for the table above, measured; 55 MB compressed). Only a
 * superuser may set it; elsewhere the vacuum goes on without.
 */
const VACUUM_WAL_COMPRESSION = 'lz4';

/**
 * Keeps a service's busy tables vacuumed where the server's autovacuum is off. The outbox
 * and the processed-event claims are queues (every row written, then changed or deleted
 * within milliseconds), and the hub's transactions and roll-ups are updated in place; on a
 * server that never vacuums them their dead rows pile up and every queue read and upsert
 * grows slower. Where autovacuum is on, this does nothing. Never two runs at once; a table
 * another session is vacuuming is skipped, not waited for.
 */
export class VacuumUpkeep {
  private readonly task: PeriodicTask;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
  ) {
    this.task = new PeriodicTask(() => this.once(), 'vacuum failed; will retry', logger);
  }

  /**
   * Every service starts its upkeep at start-up, so without a spread they would all vacuum
   * in the same second, every interval: each first waits a random part of the interval.
   */
  start(everySeconds: number): void {
    if (everySeconds > 0) this.task.start(everySeconds, Math.random() * everySeconds);
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** Vacuums the tables that need it; returns their names. */
  async once(): Promise<string[]> {
    const [{ autovacuum }] = await this.dataSource.query<{ autovacuum: string }[]>(
      `SELECT current_setting('autovacuum') AS autovacuum`,
    );
    if (autovacuum === 'on') return [];
    const due = await this.dataSource.query<{ name: string }[]>(
      `SELECT quote_ident(schemaname) || '.' || quote_ident(relname) AS name FROM pg_stat_user_tables
        WHERE n_dead_tup >= $1 AND n_dead_tup >= n_live_tup / 10 ORDER BY n_dead_tup DESC`,
      [MIN_DEAD_ROWS],
    );
    if (due.length === 0) return [];
    // A connection of its own, without the pool's statement timeout: a large table may take longer.
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.query('SET statement_timeout = 0');
      await runner.query(`SET vacuum_cost_delay = '${VACUUM_COST_DELAY}'`);
      await runner.query(`SET vacuum_cost_limit = ${VACUUM_COST_LIMIT}`);
      await runner.query(`SET wal_compression = ${VACUUM_WAL_COMPRESSION}`).catch(() => undefined);
      for (const { name } of due) await runner.query(`VACUUM (SKIP_LOCKED, ANALYZE) ${name}`);
    } finally {
      await runner
        .query(
          'RESET statement_timeout; RESET vacuum_cost_delay; RESET vacuum_cost_limit; RESET wal_compression',
        )
        .catch(() => undefined);
      await runner.release();
    }
    this.logger.debug({ tables: due.map((t) => t.name) }, 'vacuumed');
    return due.map((t) => t.name);
  }
}
