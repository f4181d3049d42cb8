import { StartupError } from '../../config/startup-error.js';

/** A PostgreSQL URL split into what the driver gets and what tokengate uses itself. */
export interface PostgresTarget {
  /** The URL without tokengate's own parameters (`schema`). */
  readonly connectionString: string;
  /** Schema from `?schema=NAME`, or undefined for the server's default (`search_path`). */
  readonly schema: string | undefined;
  /** `host:port/database` without user or password, for messages. */
  readonly description: string;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Reads `postgres://user:password@host:port/database?schema=NAME&…`. `schema` is removed (the
 * driver does not know it); every other parameter (e.g. `sslmode`) is kept for `pg`.
 *
 * @example
 * parsePostgresUrl('postgres://u@db/tg?schema=tg_a').schema; // 'tg_a'
 * @throws StartupError for an unreadable URL or a schema name that is not a plain identifier.
 */
export function parsePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StartupError(
      'the database URL is not a valid URL (expected postgres://user:password@host:port/database)',
    );
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StartupError(
      `the schema "${schema.slice(0, 70)}" in the database URL must be letters, digits and _ (not starting with a digit, at most 63 characters)`,
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
  const host = parsed.hostname === '' ? 'localhost' : parsed.hostname;
  return {
    connectionString: parsed.toString(),
    schema,
    description: `${host}:${parsed.port === '' ? '5432' : parsed.port}/${database}`,
  };
}
