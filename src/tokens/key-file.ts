import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { StartupError } from '../config/startup-error.js';
import { formatKey, KEY_BYTES, parseKey } from './key-encoding.js';

/** Group and other permission bits: a key file must have none of them. */
const GROUP_OTHER_BITS = 0o077;

/**
 * Reads the 32-byte key in `path`, or undefined when the file does not exist. Refuses (with a
 * message saying how to fix it) a file that group or others may access, or one that holds no key.
 */
export async function readKeyFile(path: string): Promise<Buffer | undefined> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (process.platform !== 'win32' && (mode & GROUP_OTHER_BITS) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw new StartupError(
      `the key file ${path} is accessible by group or others (mode ${octal}); run: chmod 600 ${path}`,
    );
  }
  const key = parseKey(await readFile(path, 'utf8'));
  if (key === null) {
    throw new StartupError(`the key file ${path} does not hold a 32-byte key (base64 or 64 hex digits)`);
  }
  return key;
}

/**
 * Reads the key in `path`, or creates it (32 random bytes, base64, mode 0600) when missing.
 * When another process creates it at the same moment, its key is the one returned.
 */
export async function readOrCreateKeyFile(path: string): Promise<Buffer> {
  const existing = await readKeyFile(path);
  if (existing !== undefined) return existing;
  const key = randomBytes(KEY_BYTES);
  try {
    await writeFile(path, `${formatKey(key)}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const raced = await readKeyFile(path);
    if (raced === undefined) throw err;
    return raced;
  }
}
