import { realpathSync } from 'node:fs';
import { Kysely, sql } from 'kysely';
import type { Database } from '../database.js';
import { KyselyStore } from '../kysely-store.js';
import { migrateToLatest } from '../migrations/migrate.js';
import type { MigrationOutcome } from '../migrations/migration-outcome.js';
import { LockingSqliteDialect } from './locking-sqlite-dialect.js';
import { sqliteHooks } from './sqlite-hooks.js';
import { sqliteOpenError } from './sqlite-open-error.js';
import { withWriteLock } from './write-lock.js';

/**
 * Opens (creating if needed) the SQLite database `file` in a worker thread that owns the
 * connection (no SQLite call runs on the request thread): WAL mode, `busy_timeout` 5000 ms,
 * `synchronous = NORMAL`, foreign keys on; migrates it to the latest schema (atomically, under
 * an exclusive lock, so processes starting together are safe).
 *
 * @example
 * const store = await openSqliteStore('/var/lib/tokengate/tokengate.db');
 * @throws StartupError with a message for an operator (corrupt file, unwritable directory…).
 */
export async function openSqliteStore(file: string): Promise<KyselyStore> {
  const outcome: MigrationOutcome = { failed: false };
  const dialect = new LockingSqliteDialect(file, outcome);
  const db = new Kysely<Database>({ dialect });
  try {
    // the first query starts the thread and opens the file: open errors surface here
    await sql`select count(*) from sqlite_master`.execute(db);
    const key = realpathSync(file);
    await withWriteLock(key, async () => {
      await migrateToLatest(db, 'sqlite', { outcome });
      // planner statistics (sqlite_stat1) where missing or stale; cheap with the analysis limit
      await sql`pragma analysis_limit = 1000`.execute(db);
      await sql`pragma optimize = 0x10002`.execute(db);
    });
    return await KyselyStore.open(db, sqliteHooks(key));
  } catch (err) {
    await db.destroy().catch(() => {
      // the thread never started (the file could not be opened): nothing to close
    });
    throw sqliteOpenError(file, err);
  }
}
