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
  let { error, results } = await migrator.migrateToLatest();
  // Kysely looks for its migration tables in every schema of the database: another schema
  // dropped at that moment (another application's, or a test's) fails the look-up with
  // 3F000. Nothing was migrated then (PostgreSQL migrates in one transaction): try again.
  for (let retry = 0; retry < OTHER_SCHEMA_RETRIES && droppedOtherSchema(error, options.schema); retry++) {
    ({ error, results } = await migrator.migrateToLatest());
  }
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error');
    const what = failed !== undefined ? `migration ${failed.migrationName}` : 'a migration';
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`the database schema could not be updated (${what} failed: ${reason})`, { cause: error });
  }
}

/** Tries after another schema vanished during Kysely's look-up of its tables. */
const OTHER_SCHEMA_RETRIES = 5;

/** PostgreSQL's "schema … does not exist" (3F000) for a schema other than `own`. */
export function droppedOtherSchema(error: unknown, own: string | undefined): boolean {
  if (typeof error !== 'object' || error === null || (error as { code?: unknown }).code !== '3F000') return false;
  const message = error instanceof Error ? error.message : '';
  return own === undefined || !message.includes(`"${own}"`);
}
