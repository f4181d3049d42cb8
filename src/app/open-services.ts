import type { Config } from '../config/config.js';
import { publishPolicy } from '../settings/publish-policy.js';
import { openStore } from '../store/open-store.js';
import { SettingsHolder } from '../store/settings-holder.js';
import type { Store } from '../store/store.js';
import { createDigester, type Digester } from '../tokens/digest.js';
import { loadKeys, sealCondition } from '../tokens/keys.js';
import { createSecretBox } from '../tokens/secret-box.js';
import { applySecureModeAtStartup, recordedSecureMode, type SecureModeOutcome } from '../tokens/secure-mode.js';
import { TokenService } from '../tokens/token-service.js';
import { UpstreamCredentialService } from '../users/upstream-credential-service.js';
import { UserService } from '../users/user-service.js';

/** Everything the server and the CLI work with, opened once. */
export interface Services {
  /** The configuration; for a tool, `secureMode` is the effective mode (see `OpenServicesOptions.role`). */
  readonly config: Config;
  readonly store: Store;
  readonly tokens: TokenService;
  readonly users: UserService;
  /**
   * The runtime settings shared by every node and the CLI (read at open; a server refreshes them
   * from the change feed). Token creation enforces their policy (`maxExpiryDays`).
   */
  readonly settingsHolder: SettingsHolder;
  /** Each user's own upstream credential (sealed at rest). */
  readonly upstreamCredentials: UpstreamCredentialService;
  /** Secret → digest, as stored (the gateway looks tokens up with it). */
  readonly digest: Digester;
  /** What applying the secure mode did (null for a tool, which never changes it). */
  readonly secureModeOutcome: SecureModeOutcome | null;
  /** Closes the store. Safe to call twice. */
  close(): Promise<void>;
}

export interface OpenServicesOptions {
  /** Clock (tests inject one). Default `Date.now`. */
  readonly now?: () => number;
  /** Environment holding `TOKENGATE_DIGEST_KEY` / `TOKENGATE_ENCRYPTION_KEY`. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * `node` (default): a server node; applies its secure mode (records it, wipes kept secrets in
   * secure mode, refuses a mismatch with live nodes).
   * `tool`: a CLI command; never changes the mode, and works in secure mode when either its
   * configuration or the database says so, so a CLI started without the server's settings keeps
   * no secret that the server would not keep.
   */
  readonly role?: 'node' | 'tool';
  /** Opens the store (tests pass a fake or a shared one). Default `openStore`. */
  readonly openStore?: (options: { dataDir: string; databaseUrl: string | null }) => Promise<Store>;
}

/**
 * Opens the store, loads the keys, applies the secure mode and builds the services. Used by
 * `tokengate serve` and every CLI command.
 *
 * @throws StartupError (keys, secure mode) with a message for the operator; the store is closed then.
 * @example
 * const services = await openServices(config);
 * try { await services.users.add({ username: 'alice' }); } finally { await services.close(); }
 */
export async function openServices(config: Config, options: OpenServicesOptions = {}): Promise<Services> {
  const now = options.now ?? Date.now;
  const store = await (options.openStore ?? openStore)({ dataDir: config.dataDir, databaseUrl: config.database.url });
  try {
    const role = options.role ?? 'node';
    const secureMode =
      role === 'node' ? config.secureMode : config.secureMode || (await recordedSecureMode(store)) === true;
    const keys = await loadKeys({ dataDir: config.dataDir, store, env: options.env ?? process.env, secureMode, role });
    const secureModeOutcome =
      role === 'node' ? await applySecureModeAtStartup(store, secureMode, { nodeId: config.nodeId, now }) : null;
    const effective: Config = secureMode === config.secureMode ? config : Object.freeze({ ...config, secureMode });
    // A node publishes its policy where the CLI and the other nodes read it.
    if (role === 'node') await publishPolicy(store, config);
    const settingsHolder = await SettingsHolder.load(store);
    const digest = createDigester(keys.digestKey);
    const secretBox = createSecretBox(keys.encryptionKey);
    const tokens = new TokenService({
      store,
      config: effective,
      digest,
      secretBox,
      sealCondition: sealCondition(keys.encryptionKey),
      now,
      settings: () => settingsHolder.current,
    });
    const users = new UserService({ store, now });
    const upstreamCredentials = new UpstreamCredentialService({ store, secretBox, now });
    let closed: Promise<void> | null = null;
    return {
      config: effective,
      store,
      tokens,
      users,
      settingsHolder,
      upstreamCredentials,
      digest,
      secureModeOutcome,
      close: () => (closed ??= store.close()),
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
