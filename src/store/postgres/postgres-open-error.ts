import { StartupError } from '../../config/startup-error.js';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
]);

function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    if ('code' in e && typeof e.code === 'string') return e.code;
    // AggregateError (several addresses tried)
    if ('errors' in e && Array.isArray(e.errors)) return codeOf(e.errors[0]);
  }
  return undefined;
}

/**
 * A {@link StartupError} an operator understands for a failure to open the PostgreSQL database
 * `where` (host:port/database; never the password).
 */
export function postgresOpenError(where: string, err: unknown): Error {
  if (err instanceof StartupError) return err;
  const code = codeOf(err) ?? '';
  const detail = err instanceof Error && err.message !== '' ? err.message : code || String(err);
  if (UNREACHABLE.has(code) || /timeout|terminated/i.test(detail)) {
    return new StartupError(
      `PostgreSQL at ${where} is unreachable (${detail}); check that the server is running and the database URL's host and port`,
    );
  }
  if (code === '28P01' || code === '28000') {
    return new StartupError(
      `PostgreSQL at ${where} refused the login (${detail}); check the user and password in the database URL`,
    );
  }
  if (code === '3D000') {
    return new StartupError(
      `PostgreSQL at ${where}: the database does not exist (${detail}); create it first (createdb)`,
    );
  }
  if (code === '42501') {
    return new StartupError(
      `PostgreSQL at ${where}: permission denied (${detail}); the user needs to create tables in the schema`,
    );
  }
  return new StartupError(`PostgreSQL at ${where} cannot be used: ${detail}`);
}
