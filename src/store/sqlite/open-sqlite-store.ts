import { realpathSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { Database } from '../database.js';
import { KyselyStore } from '../kysely-store.js';
import { migrateToLatest } from '../migrations/migrate.js';
import type { MigrationOutcome } from '../migrations/migration-outcome.js';
import { LockingSqliteDialect } from './locking-sqlite-dialect.js';
import { sqliteHooks } from './sqlite-hooks.js';
import { sqliteOpenError } from './sqlite-open-error.js';
import { cachingDatabase } from './statement-cache.js';
import { withWriteLock } from './write-lock.js';

function openRaw(file: string): BetterSqlite3.Database {
  const raw = new BetterSqlite3(file);
  try {
    raw.pragma('busy_timeout = 5000');
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    // checkpoint every 16 MB of WAL instead of 4 MB: fewer fsyncs under a steady audit stream
    raw.pragma('wal_autocheckpoint = 4000');
    // reads the schema: a file that is not a database fails here, not later
    raw.prepare('select count(*) from sqlite_master').get();
    return raw;
  } catch (err) {
    raw.close();
    throw err;
  }
}

/**
 * Opens (creating if needed) the SQLite database `file`: WAL mode, `busy_timeout` 5000 ms,
 * `synchronous = NORMAL`, foreign keys on; migrates it to the latest schema (atomically, under
 * an exclusive lock, so processes starting together are safe).
 *
 * @example
 * const store = await openSqliteStore('/var/lib/tokengate/tokengate.db');
 * @throws StartupError with a message for an operator (corrupt file, unwritable directory…).
 */
export async function openSqliteStore(file: string): Promise<KyselyStore> {
  let raw: BetterSqlite3.Database;
  try {
    raw = openRaw(file);
  } catch (err) {
    throw sqliteOpenError(file, err);
  }
  const outcome: MigrationOutcome = { failed: false };
  const db = new Kysely<Database>({ dialect: new LockingSqliteDialect({ database: cachingDatabase(raw) }, outcome) });
  try {
    const key = realpathSync(file);
    await withWriteLock(key, async () => {
      await migrateToLatest(db, 'sqlite', { outcome });
      // planner statistics (sqlite_stat1) where missing or stale; cheap with the analysis limit
      raw.pragma('analysis_limit = 1000');
      raw.pragma('optimize = 0x10002');
    });
    return await KyselyStore.open(db, sqliteHooks(key));
  } catch (err) {
    await db.destroy();
    throw sqliteOpenError(file, err);
  }
}
