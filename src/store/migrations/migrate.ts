import { type Kysely, Migrator } from 'kysely';
import type { Database } from '../database.js';
import { migrationProvider } from './index.js';
import type { SqlDialectName } from './migration-context.js';
import type { MigrationOutcome } from './migration-outcome.js';

/** Options of {@link migrateToLatest}. */
export interface MigrateOptions {
  /** PostgreSQL: the schema of the tables (and of Kysely's bookkeeping tables). */
  readonly schema?: string;
  /** Set to failed when a migration throws (read by the SQLite migration lock). */
  readonly outcome?: MigrationOutcome;
}

/**
 * Brings the schema up to date. On PostgreSQL, Kysely holds an advisory lock while migrating, so
 * several nodes starting at once are safe; on SQLite the dialect's lock is `BEGIN IMMEDIATE`
 * (see `sqlite/locking-sqlite-dialect.ts`). `options.schema` (PostgreSQL) is where Kysely keeps
 * its bookkeeping tables; it must be the schema the tables live in.
 *
 * @throws Error naming the migration that failed.
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  dialect: SqlDialectName,
  options: MigrateOptions = {},
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialect, options.outcome),
    ...(options.schema !== undefined && { migrationTableSchema: options.schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error');
    const what = failed !== undefined ? `migration ${failed.migrationName}` : 'a migration';
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`the database schema could not be updated (${what} failed: ${reason})`, { cause: error });
  }
}
