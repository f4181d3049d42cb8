import { join, resolve } from 'node:path';
import { ensureDataDir } from './data-dir.js';
import { openSqliteStore } from './sqlite/open-sqlite-store.js';
import type { Store } from './store.js';

/** Where the store lives. */
export interface OpenStoreOptions {
  /** Data directory: the SQLite file is `<dataDir>/tokengate.db` (created with mode 0700). */
  readonly dataDir: string;
  /**
   * `postgres://…` or `postgresql://…` for PostgreSQL (several nodes); null/undefined/anything
   * else means SQLite in `dataDir`. A `schema=NAME` query parameter selects the PostgreSQL schema
   * (created if missing, default `public`); it is removed before the URL reaches the driver.
   * Example: `postgres://tokengate@db.example/tokengate?schema=tokengate&sslmode=require`.
   */
  readonly databaseUrl?: string | null;
}

/** True when `url` names a PostgreSQL database. */
export function isPostgresUrl(url: string | null | undefined): url is string {
  return url !== null && url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens the store and brings its schema up to date: PostgreSQL when `databaseUrl` is a
 * `postgres://` / `postgresql://` URL, else SQLite at `<dataDir>/tokengate.db`.
 *
 * @example
 * const store = await openStore({ dataDir: './data', databaseUrl: process.env.TOKENGATE_DATABASE_URL ?? null });
 * @throws StartupError (from config/startup-error) with a message for an operator: data
 *   directory not writable, database file corrupt, PostgreSQL unreachable…
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (isPostgresUrl(options.databaseUrl)) {
    const { openPostgresStore } = await import('./postgres/open-postgres-store.js');
    return openPostgresStore(options.databaseUrl);
  }
  const dir = resolve(options.dataDir);
  ensureDataDir(dir);
  return openSqliteStore(join(dir, 'tokengate.db'));
}
