import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { StartupError } from '../config/startup-error.js';
import type { MetaCondition, Store } from '../store/store.js';
import { withInitLock } from './init-lock.js';
import { keyCheckValue, verifyKeyCheck } from './key-check.js';
import { formatKey, KEY_BYTES, parseKey } from './key-encoding.js';
import { readKeyFile, readOrCreateKeyFile } from './key-file.js';

/** The two keys of a tokengate installation. */
export interface Keys {
  /** HMAC key of token digests; the same on every node sharing a database. */
  readonly digestKey: Buffer;
  /** AES-256-GCM key of the secrets kept in standard mode. */
  readonly encryptionKey: Buffer;
}

export interface LoadKeysOptions {
  readonly dataDir: string;
  readonly store: Pick<Store, 'getMeta' | 'setMeta' | 'claimMeta' | 'anyToken' | 'hasUpstreamCredentials'>;
  /** Environment (`TOKENGATE_DIGEST_KEY`, `TOKENGATE_ENCRYPTION_KEY`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** In secure mode only upstream credentials are sealed, so only they make the encryption key matter. */
  readonly secureMode: boolean;
  /**
   * `node` (default) may record a new key when no data made with the old one exists; a `tool`
   * (CLI command) never changes the keys the database records: it refuses instead, before it
   * writes anything (a CLI run against a cluster's database without the cluster's key).
   */
  readonly role?: 'node' | 'tool';
}

/** Environment variable of the digest key (32 bytes, base64 or hex). */
export const DIGEST_KEY_ENV = 'TOKENGATE_DIGEST_KEY';
/** Environment variable of the encryption key (32 bytes, base64 or hex). */
export const ENCRYPTION_KEY_ENV = 'TOKENGATE_ENCRYPTION_KEY';
/** File of the generated encryption key, inside the data directory. */
export const ENCRYPTION_KEY_FILE = 'encryption.key';

const META_DIGEST_KEY = 'digestKey';
const META_DIGEST_CHECK = 'digestKeyCheck';
const META_ENCRYPTION_CHECK = 'encryptionKeyCheck';

function keyFromEnv(env: LoadKeysOptions['env'], name: string): Buffer | null {
  const value = env[name];
  if (value === undefined || value.trim() === '') return null;
  const key = parseKey(value);
  if (key === null) {
    throw new StartupError(
      `${name} must be a 32-byte key written as base64 or 64 hex digits (make one with: openssl rand -base64 32)`,
    );
  }
  return key;
}

/**
 * The digest key kept in the database. The migrations create it (under their lock, see
 * `store/migrations/0002-digest-key.ts`); a store without it gets one by an atomic
 * insert-if-absent, so processes starting together always end up with the same key.
 */
async function digestKeyFromMeta(store: LoadKeysOptions['store']): Promise<Buffer> {
  const stored =
    (await store.getMeta(META_DIGEST_KEY)) ??
    (await store.claimMeta(META_DIGEST_KEY, formatKey(randomBytes(KEY_BYTES))));
  const key = stored === undefined ? null : parseKey(stored);
  if (key === null)
    throw new StartupError(`the digest key kept in the database (meta "${META_DIGEST_KEY}") is damaged`);
  return key;
}

/**
 * Loads (or, on the first start, creates) the digest key and the encryption key.
 *
 * - Digest key: `TOKENGATE_DIGEST_KEY`, else generated once and kept in the store meta, so every
 *   node sharing a database computes the same digests.
 * - Encryption key: `TOKENGATE_ENCRYPTION_KEY`, else `<dataDir>/encryption.key` (created with
 *   mode 0600; refused when group or others may read it).
 * - A check value of each key is kept in the meta: a node whose key differs from the one that
 *   made existing digests (or, in standard mode, sealed existing secrets) refuses to start.
 *
 * @throws StartupError with a message for the operator.
 */
export async function loadKeys(options: LoadKeysOptions): Promise<Keys> {
  const { dataDir, store, secureMode } = options;
  const mayReplace = (options.role ?? 'node') === 'node';
  const envDigestKey = keyFromEnv(options.env, DIGEST_KEY_ENV);
  const envEncryptionKey = keyFromEnv(options.env, ENCRYPTION_KEY_ENV);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const keyPath = join(dataDir, ENCRYPTION_KEY_FILE);

  // Upstream credentials are sealed in both modes; token secrets only in standard mode.
  const secretsKept = async (): Promise<boolean> =>
    (await store.hasUpstreamCredentials()) || (!secureMode && (await store.anyToken(true)));
  const encryptionRefusal =
    `the secrets kept in this database (token secrets, upstream credentials) were encrypted with another key: use the same ${ENCRYPTION_KEY_ENV} ` +
    `on every node (or the ${ENCRYPTION_KEY_FILE} file of the node that created them)`;

  const load = async (): Promise<Keys> => {
    if (envEncryptionKey === null && (await readKeyFile(keyPath)) === undefined) {
      await refuseNewEncryptionKey(store, { mayReplace, secretsKept, refusal: encryptionRefusal });
    }
    const encryptionKey = envEncryptionKey ?? (await readOrCreateKeyFile(keyPath));
    const digestKey = envDigestKey ?? (await digestKeyFromMeta(store));
    await verifyKeyCheck({
      store,
      metaKey: META_DIGEST_CHECK,
      key: digestKey,
      recordedKeyInUse: () => store.anyToken(),
      mayReplace,
      refusal:
        `the tokens in this database were made with another digest key: start every node with the same ${DIGEST_KEY_ENV} ` +
        '(or unset it everywhere to use the key kept in the database)',
    });
    // Upstream credentials are sealed in both modes; token secrets only in standard mode.
    await verifyKeyCheck({
      store,
      metaKey: META_ENCRYPTION_CHECK,
      key: encryptionKey,
      recordedKeyInUse: secretsKept,
      mayReplace,
      refusal: encryptionRefusal,
    });
    return { digestKey, encryptionKey };
  };

  const firstStart =
    (envEncryptionKey === null && (await readKeyFile(keyPath)) === undefined) ||
    (envDigestKey === null && (await store.getMeta(META_DIGEST_KEY)) === undefined) ||
    (await store.getMeta(META_DIGEST_CHECK)) === undefined ||
    (await store.getMeta(META_ENCRYPTION_CHECK)) === undefined;
  return firstStart ? withInitLock(dataDir, load) : load();
}

/**
 * Before this process makes itself a new encryption key: refuses when the database already
 * records one (made by another node) and a secret sealed with it is kept, or always for a tool,
 * so that nothing is written (not even a key file) with a key the database does not know.
 */
async function refuseNewEncryptionKey(
  store: LoadKeysOptions['store'],
  rules: { mayReplace: boolean; secretsKept: () => Promise<boolean>; refusal: string },
): Promise<void> {
  if ((await store.getMeta(META_ENCRYPTION_CHECK)) === undefined) return;
  if (!rules.mayReplace) {
    throw new StartupError(
      `this database already records an encryption key (of the nodes that use it) and this command has none: run it with ${ENCRYPTION_KEY_ENV} ` +
        `set to the nodes' key, or with the data directory holding their ${ENCRYPTION_KEY_FILE}; nothing was written`,
    );
  }
  if (await rules.secretsKept()) throw new StartupError(rules.refusal);
}

/**
 * The condition under which a secret sealed with `encryptionKey` may be written: the database
 * records this key's check value. Checked inside the write transaction (`Store.insertToken`), so
 * a node whose key was replaced by another node meanwhile stops with an error instead of sealing.
 */
export function sealCondition(encryptionKey: Buffer): MetaCondition {
  return { key: META_ENCRYPTION_CHECK, value: keyCheckValue(encryptionKey) };
}
