import { type Kysely, sql } from 'kysely';
import type { Database } from '../database.js';
import type { DialectHooks } from '../dialect-hooks.js';
import { withWriteLock } from './write-lock.js';

/** SQLite's limit of bound parameters per statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
const SQLITE_MAX_PARAMS = 32_766;
/** How often the change feed looks at `PRAGMA data_version`. */
const SQLITE_POLL_MS = 25;

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

/**
 * The SQLite side of the store: `BEGIN IMMEDIATE` write transactions, 0/1 booleans, and a change
 * feed that polls every 25 ms but reads `changes` only when `PRAGMA data_version` moved (another
 * connection committed) or this process wrote. `file` (the database's absolute path) keys the
 * in-process write lock.
 */
export function sqliteHooks(file: string): DialectHooks {
  let dataVersion: number | undefined;
  async function write<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return withWriteLock(file, () =>
      db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        try {
          const result = await fn(conn);
          await sql`commit`.execute(conn);
          return result;
        } catch (err) {
          try {
            await sql`rollback`.execute(conn);
          } catch {
            // no transaction left to roll back (SQLite may have rolled back by itself)
          }
          throw err;
        }
      }),
    );
  }

  async function writeOne<T>(db: Kysely<Database>, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
    // autocommit: the one statement is its own transaction; the lock keeps it out of another
    // write's open transaction on the same connection
    return withWriteLock(file, () => db.connection().execute(fn));
  }

  return {
    dialect: 'sqlite',
    formatsExportPages: true,
    writeOne,
    maxParams: SQLITE_MAX_PARAMS,
    pollMs: SQLITE_POLL_MS,
    bool: (value) => (value ? 1 : 0),
    // SQLite's cast reads the leading digits (0 when none)
    leadingCount: (text) => sql<number>`max(1, cast(${text} as integer))`,
    write,
    async beforeChanges(): Promise<void> {
      // writers are serialised by BEGIN IMMEDIATE: seq order is commit order
    },
    async afterChanges(): Promise<void> {
      // other processes notice through PRAGMA data_version
    },
    uniqueViolation(err: unknown): string | undefined {
      const code = codeOf(err);
      if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return undefined;
      return err instanceof Error ? err.message : code;
    },
    async optimize(db: Kysely<Database>): Promise<void> {
      await write(db, (trx) => sql`pragma optimize`.execute(trx));
    },
    async hasNews(db: Kysely<Database>): Promise<boolean> {
      const { rows } = await sql<{ data_version: number }>`pragma data_version`.execute(db);
      const version = rows[0]?.data_version;
      const changed = version !== dataVersion;
      dataVersion = version;
      return changed;
    },
  };
}
