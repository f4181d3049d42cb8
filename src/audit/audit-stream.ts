import { accessSync, closeSync, constants, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pino } from 'pino';
import { StartupError } from '../config/startup-error.js';
import { describeError, type Logger } from '../log/logger.js';
import type { AuditRecord } from '../store/models.js';

/** Every audit record also as one JSON line, for log shippers (`audit.stream`). */
export interface AuditStream {
  /** Appends one record (buffered, written asynchronously: never blocks a call). Never throws. */
  write(record: AuditRecord): void;
  /** Opens the file again at its path (SIGHUP after the old one was moved away); no-op for stdout. */
  reopen(): void;
  /** Writes what is buffered and closes the file. */
  close(): Promise<void>;
}

type Destination = ReturnType<typeof pino.destination>;

/**
 * Checks that `path` can be appended to: its directory exists and the file can be opened for
 * appending (created when missing). @throws StartupError naming the path and what is wrong
 */
function checkAppendable(path: string): void {
  const dir = dirname(path);
  try {
    if (!statSync(dir).isDirectory()) throw new StartupError(`audit.stream: ${dir} is not a directory`);
    accessSync(dir, constants.W_OK | constants.X_OK);
    closeSync(openSync(path, 'a', 0o600));
  } catch (err) {
    if (err instanceof StartupError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `the directory ${dir} does not exist`
        : code === 'EACCES' || code === 'EPERM'
          ? 'it is not writable'
          : code === 'EISDIR'
            ? 'it is a directory'
            : (code ?? 'it cannot be opened');
    throw new StartupError(`audit.stream: cannot append to ${path}: ${why} (give "stdout" or a writable file path)`);
  }
}

/**
 * Opens the audit stream: `stdout`, or a file opened in append mode (mode 0600 when created),
 * reopened at its path by {@link AuditStream.reopen} for log rotation (`mv` the file away, send
 * SIGHUP: new lines go to a new file at the path; lines buffered before it go to the old one, so
 * none is lost). Lines are the audit records' fields as the audit API returns them, without `id`
 * (the database assigns it), already scrubbed by the record builder.
 *
 * @throws StartupError when the file cannot be appended to
 */
export function openAuditStream(target: string, log: Logger): AuditStream {
  const toStdout = target === 'stdout';
  const path = toStdout ? null : resolve(target);
  if (path !== null) checkAppendable(path);
  const destination: Destination = pino.destination(
    path === null ? { dest: 1, sync: false } : { dest: path, sync: false, append: true, mkdir: false },
  );
  let failedAt = Number.NEGATIVE_INFINITY;
  destination.on('error', (err: unknown) => {
    // at most one line a minute: a full disk must not flood the log
    if (Date.now() - failedAt < 60_000) return;
    failedAt = Date.now();
    log.error('audit stream: a line could not be written', { stream: target, ...describeError(err) });
  });
  let closed = false;
  return {
    write(record) {
      if (closed) return;
      try {
        destination.write(`${JSON.stringify(record)}\n`);
      } catch (err) {
        log.error('audit stream: a record could not be written', describeError(err));
      }
    },
    reopen() {
      if (path === null || closed) return;
      try {
        destination.reopen();
        log.info('audit stream reopened', { stream: path });
      } catch (err) {
        log.error('audit stream: could not be reopened', { stream: path, ...describeError(err) });
      }
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise<void>((resolvePromise) => {
        if (path === null) {
          // never close the process's stdout: flush what is buffered
          try {
            destination.flushSync();
          } catch {
            // nothing written yet
          }
          resolvePromise();
          return;
        }
        destination.once('close', () => resolvePromise());
        destination.end();
      });
    },
  };
}
