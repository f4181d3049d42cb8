/**
 * One write lock per database file for this process. better-sqlite3 waits for a locked
 * database synchronously (`busy_timeout`), which blocks the event loop: if two Store instances
 * of one process wrote to the same file at once, the waiting one would stop the other from ever
 * committing. Queuing write transactions per file in the process avoids that; other processes
 * are still handled by SQLite's own locking and `busy_timeout`.
 */
const tails = new Map<string, Promise<void>>();

/**
 * Runs `fn` when no other write of this process on `file` is running.
 *
 * @example
 * await withWriteLock('/data/tokengate.db', () => writeSomething());
 */
export async function withWriteLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(file) ?? Promise.resolve();
  let release: () => void = () => {};
  const current = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => current);
  tails.set(file, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (tails.get(file) === tail) tails.delete(file);
  }
}
