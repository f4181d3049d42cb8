import { createHmac } from 'node:crypto';
import { StartupError } from '../config/startup-error.js';
import type { Store } from '../store/store.js';

const CHECK_LABEL = 'tokengate key check v1';

/** A value that identifies a key without revealing it: HMAC-SHA-256 of a fixed label (hex). */
export function keyCheckValue(key: Buffer): string {
  return createHmac('sha256', key).update(CHECK_LABEL, 'utf8').digest('hex');
}

export interface VerifyKeyCheckOptions {
  readonly store: Pick<Store, 'setMeta' | 'claimMeta'>;
  /** Meta key that holds the check value (`digestKeyCheck`, `encryptionKeyCheck`). */
  readonly metaKey: string;
  readonly key: Buffer;
  /** True when data made with the recorded key exists (then a different key is refused). */
  readonly recordedKeyInUse: () => Promise<boolean>;
  /** False: a different recorded key is always refused (a CLI tool never replaces it). Default true. */
  readonly mayReplace?: boolean;
  /** What to tell the operator when refusing. */
  readonly refusal: string;
}

/**
 * Compares `key` with the check value kept in the store meta. The first start records it; a
 * different key is refused while data made with the recorded key exists (or always, without
 * `mayReplace`), and otherwise replaces it.
 *
 * @throws StartupError when the key differs and data made with the recorded key exists.
 */
export async function verifyKeyCheck(options: VerifyKeyCheckOptions): Promise<void> {
  const check = keyCheckValue(options.key);
  // first writer wins: two processes recording different keys at once cannot both succeed
  const recorded = await options.store.claimMeta(options.metaKey, check);
  if (recorded === check) return;
  if (options.mayReplace === false || (await options.recordedKeyInUse())) throw new StartupError(options.refusal);
  await options.store.setMeta(options.metaKey, check);
}
