/** Socket errors that mean the database server cannot be reached. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
/** PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now. */
const POSTGRES_SHUTDOWN_CODES = new Set(['57P01', '57P02', '57P03']);
/** SQLite: the file is locked by another process for longer than the busy timeout. */
const SQLITE_BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED']);
/** SQLite: the worker thread that owns the connection has stopped (see sqlite/sqlite-thread.ts). */
const SQLITE_WORKER_CODES = new Set(['SQLITE_WORKER_STOPPED']);

/**
 * True when `err` says the database is (perhaps briefly) unreachable or busy, rather than that a
 * query is wrong: the caller answers 503 and "try again" instead of 500.
 *
 * @example
 * catch (err) { sendError(res, isDatabaseUnavailable(err) ? 503 : 500, …) }
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (
      NETWORK_CODES.has(code) ||
      POSTGRES_SHUTDOWN_CODES.has(code) ||
      SQLITE_BUSY_CODES.has(code) ||
      SQLITE_WORKER_CODES.has(code)
    )
      return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true; // PostgreSQL class 08: connection exception
  }
  if (
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      err.message,
    )
  )
    return true;
  const cause = (err as { cause?: unknown }).cause;
  return cause !== undefined && cause !== err && isDatabaseUnavailable(cause);
}
