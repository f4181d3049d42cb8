import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Prepared statements kept per connection (Kysely's SQL text is the same for the same query shape). */
const MAX_STATEMENTS = 200;

/**
 * The better-sqlite3 database as Kysely's `SqliteDatabase`, re-using prepared statements by SQL
 * text (Kysely prepares every query anew; parsing a multi-row INSERT costs more than running it).
 * Least recently used statements are dropped beyond {@link MAX_STATEMENTS}. Statements are run
 * with `all`/`run` only (no streaming), so one is never busy when it is used again.
 */
export function cachingDatabase(raw: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement !== undefined) {
        cache.delete(sql);
      } else {
        statement = raw.prepare(sql);
        if (cache.size >= MAX_STATEMENTS) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
      }
      cache.set(sql, statement);
      return statement;
    },
    close(): void {
      cache.clear();
      raw.close();
    },
  };
}
