import { StartupError } from '../../config/startup-error.js';

function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    if ('code' in e && typeof e.code === 'string') return e.code;
  }
  return undefined;
}

/**
 * A {@link StartupError} an operator understands for a failure to open the SQLite database
 * `file`: not a database / corrupt, cannot be opened or written, disk full; otherwise the
 * driver's message with the file name.
 */
export function sqliteOpenError(file: string, err: unknown): Error {
  if (err instanceof StartupError) return err;
  const code = codeOf(err) ?? '';
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StartupError(
      `the database file ${file} is corrupt or not a SQLite database (${detail}); restore it from a backup or move it away to start with an empty database`,
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new StartupError(
      `the database file ${file} cannot be opened (${detail}); check that the data directory exists, is a directory and is writable by this user`,
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM') || code === 'SQLITE_AUTH') {
    return new StartupError(
      `the database file ${file} is read-only for tokengate (${detail}); make the file and its data directory writable by this user`,
    );
  }
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) {
    return new StartupError(
      `the database file ${file} cannot be written (${detail}); check free disk space and the disk`,
    );
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY')) {
    return new StartupError(
      `the database file ${file} is locked by another process (${detail}); try again, or stop the other process`,
    );
  }
  return new StartupError(`the database file ${file} cannot be opened: ${detail}`);
}
