import { StartupError } from '../config/startup-error.js';
import type { Store } from '../store/store.js';

const META_SECURE_MODE = 'secureMode';
/** A node whose last heartbeat is at most this old counts as live. */
export const LIVE_NODE_WINDOW_MS = 30_000;

export interface SecureModeOptions {
  /** This node's id; other live nodes (heartbeat within `liveWindowMs`) must run in the same mode. */
  readonly nodeId?: string;
  readonly now?: () => number;
  readonly liveWindowMs?: number;
}

export interface SecureModeOutcome {
  /** Mode recorded by the previous start, or null on the first start. */
  readonly previous: boolean | null;
  /** How many kept secrets were discarded now. */
  readonly wiped: number;
}

/** The secure mode recorded in the store meta by the last node start, or null when none was. */
export async function recordedSecureMode(store: Pick<Store, 'getMeta'>): Promise<boolean | null> {
  const value = await store.getMeta(META_SECURE_MODE);
  return value === undefined ? null : value === 'true';
}

/**
 * Applies the startup secure-mode setting of a node:
 * - refuses when another live node runs in the other mode (every node must be restarted to change it);
 * - secure mode: discards every kept secret (tokens stay valid; only digests remain). Nothing is
 *   normally left after the first secure start, so later starts wipe nothing;
 * - standard mode after secure mode: tokens made before keep no secret and stay unshowable;
 * - records the mode in the store meta (`secureMode`).
 *
 * @throws StartupError on a mode mismatch with a live node.
 */
export async function applySecureModeAtStartup(
  store: Pick<Store, 'getMeta' | 'setMeta' | 'wipeSecrets' | 'liveNodes'>,
  secureMode: boolean,
  options: SecureModeOptions = {},
): Promise<SecureModeOutcome> {
  if (options.nodeId !== undefined) {
    const now = (options.now ?? Date.now)();
    const others = (await store.liveNodes(now - (options.liveWindowMs ?? LIVE_NODE_WINDOW_MS))).filter(
      (node) => node.nodeId !== options.nodeId && node.secureMode !== secureMode,
    );
    const [other] = others;
    if (other !== undefined) {
      throw new StartupError(
        `node "${other.nodeId}" runs in ${other.secureMode ? 'secure' : 'standard'} mode and this node would run in ` +
          `${secureMode ? 'secure' : 'standard'} mode: stop every node and start them all with the same secureMode`,
      );
    }
  }
  const previous = await recordedSecureMode(store);
  const wiped = secureMode ? await store.wipeSecrets() : 0;
  if (previous !== secureMode) await store.setMeta(META_SECURE_MODE, String(secureMode));
  return { previous, wiped };
}
