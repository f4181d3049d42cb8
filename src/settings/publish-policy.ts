import type { Config } from '../config/config.js';
import type { RuntimeSettings } from '../store/models.js';
import type { Store } from '../store/store.js';
import { stricterMaximum } from '../tokens/expiry-policy.js';

/**
 * Writes a node's policy from its configuration into the database settings, where every node and
 * the CLI read it: today `maxExpiryDays`, when the configuration's is stricter than the stored one
 * (so a node never loosens what an operator set with `tokengate settings set`). Returns the
 * settings as stored afterwards.
 */
export async function publishPolicy(
  store: Pick<Store, 'getSettings' | 'updateSettings'>,
  config: Pick<Config, 'maxExpiryDays'>,
): Promise<RuntimeSettings> {
  const stored = await store.getSettings();
  const strictest = stricterMaximum(stored.maxExpiryDays, config.maxExpiryDays);
  if (strictest === stored.maxExpiryDays) return stored;
  return store.updateSettings({ maxExpiryDays: strictest });
}
