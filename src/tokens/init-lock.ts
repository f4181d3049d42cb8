import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StartupError } from '../config/startup-error.js';

const LOCK_NAME = '.tokengate-init.lock';
/** A lock older than this is left over by a crashed process and is taken over. */
const STALE_MS = 30_000;
const RETRY_MS = 25;
const GIVE_UP_MS = 40_000;

/**
 * Runs `fn` while holding an exclusive lock file in `dataDir`, so processes that start at the
 * same moment on a fresh data directory (a server and a CLI command) do not both generate keys.
 */
export async function withInitLock<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  const path = join(dataDir, LOCK_NAME);
  const deadline = Date.now() + GIVE_UP_MS;
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(path).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_MS) await rm(path, { force: true });
      else if (Date.now() > deadline) {
        throw new StartupError(`another tokengate process holds ${path}; if none is starting, delete that file`);
      } else await sleep(RETRY_MS);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}
