import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { StartupError } from '../config/startup-error.js';

function reason(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') {
    const code = err.code;
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'ENOTDIR') return 'a part of the path is a file, not a directory';
    if (code === 'EROFS') return 'the file system is read-only';
    if (code === 'ENOSPC') return 'no space left on the device';
    if (code === 'EEXIST') return 'a file with this name exists';
    return code;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Makes sure `dir` is a writable directory, creating it (mode 0700) when missing.
 *
 * @example
 * ensureDataDir('/var/lib/tokengate');
 * @throws StartupError naming the directory and what is wrong.
 */
export function ensureDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new StartupError(
      `the data directory ${dir} cannot be created (${reason(err)}); create it or choose another one (--data-dir or TOKENGATE_DATA_DIR)`,
    );
  }
  if (!statSync(dir).isDirectory()) {
    throw new StartupError(
      `the data directory ${dir} is not a directory; choose another one (--data-dir or TOKENGATE_DATA_DIR)`,
    );
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw new StartupError(
      `the data directory ${dir} is not writable (${reason(err)}); make it writable by this user or choose another one (--data-dir or TOKENGATE_DATA_DIR)`,
    );
  }
}
