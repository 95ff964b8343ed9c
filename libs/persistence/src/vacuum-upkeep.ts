import { PeriodicTask } from '@lgsp/observability';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';

/** Vacuumed when it holds at least this many dead rows and they are a tenth of it or more. */
const MIN_DEAD_ROWS = 1000;

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

  start(everySeconds: number): void {
    if (everySeconds > 0) this.task.start(everySeconds);
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
      for (const { name } of due) await runner.query(`VACUUM (SKIP_LOCKED, ANALYZE) ${name}`);
    } finally {
      await runner.query('RESET statement_timeout').catch(() => undefined);
      await runner.release();
    }
    this.logger.debug({ tables: due.map((t) => t.name) }, 'vacuumed');
    return due.map((t) => t.name);
  }
}
