import { Client } from 'pg';
import {
  DataSource,
  type DataSourceOptions,
  type EntityManager,
  type EntitySchema,
  type MixedList,
} from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';

type Ctor = new (...args: never[]) => unknown;

/** What a service declares about its own database: its entities and its migrations. */
export interface DatabaseDefinition {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  migrations: Ctor[];
}

export interface DatabaseTimeouts {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  /** Connections in the pool. */
  poolSize?: number;
  /** Where autovacuum is off, vacuum busy tables this often (seconds; 0 or unset: never). */
  vacuumIntervalSeconds?: number;
}

export function dataSourceOptions(
  url: string,
  def: DatabaseDefinition,
  timeouts: DatabaseTimeouts = { lockTimeoutMs: 5000, statementTimeoutMs: 30_000 },
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: def.entities,
    migrations: def.migrations,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    extra: {
      max: timeouts.poolSize ?? 10,
      // Waiting longer for a connection than this is a transient failure, never a hang.
      connectionTimeoutMillis: 10_000,
      application_name: 'lgsp',
      options: `-c lock_timeout=${timeouts.lockTimeoutMs} -c statement_timeout=${timeouts.statementTimeoutMs}`,
    },
  };
}

/** The database's name from its URL. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

function maintenanceUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

/** Creates the database when missing. Safe to run from several processes at once. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = databaseName(url);
  const client = new Client({ connectionString: maintenanceUrl(url) });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      return true;
    } catch (e) {
      if ((e as { code?: string }).code === '42P04') return false; // created meanwhile
      throw e;
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const client = new Client({ connectionString: maintenanceUrl(url) });
  await client.connect();
  try {
    await client.query(
      `DROP DATABASE IF EXISTS "${databaseName(url).replace(/"/g, '""')}" WITH (FORCE)`,
    );
  } finally {
    await client.end();
  }
}

/** Creates the database if needed and applies pending migrations; returns the names applied. */
export async function migrate(url: string, def: DatabaseDefinition): Promise<string[]> {
  await ensureDatabase(url);
  const ds = new DataSource(dataSourceOptions(url, def));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

/**
 * A `where` object from optional filters: unset ones are left out. TypeORM refuses
 * `undefined` in a condition, so that a missing filter never silently widens a query.
 */
export function definedFilters<T extends object>(
  filters: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

/**
 * The rows of an `UPDATE … RETURNING` or `DELETE … RETURNING`: for those statements
 * TypeORM's `query()` on PostgreSQL answers `[rows, affectedCount]` rather than the rows
 * (INSERT and SELECT answer the rows themselves).
 */
export async function returning<T>(
  manager: EntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const result: unknown = await manager.query(sql, params);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}

/**
 * Runs a counter reservation (an `INSERT … ON CONFLICT DO UPDATE … RETURNING`) in a short
 * transaction of its own whose commit does not wait for its WAL flush. That is safe for a
 * reservation: the numbers are only used by a later transaction of the caller, and that
 * transaction's own synchronous commit flushes the WAL up to and including this one; if the
 * caller's transaction is lost instead, so are numbers nobody used.
 */
export function reserve<T>(dataSource: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  return dataSource.transaction(async (tx) => {
    await tx.query('SET LOCAL synchronous_commit = off');
    return tx.query<T[]>(sql, params);
  });
}
