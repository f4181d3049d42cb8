import { Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../database.js';
import { KyselyStore } from '../kysely-store.js';
import { migrateToLatest } from '../migrations/migrate.js';
import { parsePostgresUrl } from './database-url.js';
import { OwnSchemaPostgresDialect } from './own-schema-introspector.js';
import { pgListener } from './pg-listener.js';
import { CHANGES_CHANNEL, postgresHooks } from './postgres-hooks.js';
import { postgresOpenError } from './postgres-open-error.js';

const INT8_OID = 20;
const CONNECT_TIMEOUT_MS = 10_000;

/** BIGINT (times, counters, count(*)) as a JavaScript number; every other type as pg parses it. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Connection settings shared by the pool and the LISTEN connection. */
function clientConfig(connectionString: string, schema: string | undefined): pg.ClientConfig {
  return {
    connectionString,
    types,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: schema === undefined ? 'tokengate' : `tokengate/${schema}`,
    ...(schema !== undefined && { options: `-c search_path=${schema}` }),
  };
}

/** Creates `schema` if it is missing (several nodes may race; the loser's error is ignored). */
async function ensureSchema(db: Kysely<Database>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
    if (code !== '23505' && code !== '42P06') throw err;
  }
}

/**
 * Opens the PostgreSQL store at `url` and migrates it (under Kysely's advisory lock, so nodes
 * starting together are safe). `?schema=NAME` in the URL selects (and creates) the schema, set as
 * the connections' `search_path`; without it the server's default schema is used. BIGINT values
 * are read as numbers.
 *
 * @example
 * const store = await openPostgresStore('postgres://tokengate:secret@db:5432/tokengate?schema=tg');
 * @throws StartupError when PostgreSQL is unreachable, refuses the login, or the schema cannot be made.
 */
export async function openPostgresStore(url: string): Promise<KyselyStore> {
  const target = parsePostgresUrl(url);
  const config = clientConfig(target.connectionString, target.schema);
  const pool = new pg.Pool({ ...config, max: 10 });
  pool.on('error', () => {
    // an idle connection died; the pool replaces it on the next query
  });
  pool.on('connect', (client) => {
    // A connection lost while checked out between queries (the server shut down, a failover)
    // emits 'error' on the client itself, where the pool does not listen: without this the
    // process would crash. The next query on it fails, and the pool discards it.
    client.on('error', () => {});
  });
  const db = new Kysely<Database>({ dialect: new OwnSchemaPostgresDialect({ pool }) });
  try {
    if (target.schema !== undefined) await ensureSchema(db, target.schema);
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    const schema = rows[0]?.schema ?? null;
    if (schema === null) {
      throw new Error('no schema is selected (search_path names no existing schema); add ?schema=NAME to the URL');
    }
    await migrateToLatest(db, 'postgres', { schema });
    return await KyselyStore.open(db, postgresHooks(schema, pgListener(config, CHANGES_CHANNEL)));
  } catch (err) {
    await db.destroy().catch(() => {});
    throw postgresOpenError(target.description, err);
  }
}
