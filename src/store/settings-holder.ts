import type { Change, RuntimeSettings } from './models.js';
import type { Store } from './store.js';

/**
 * The runtime settings as this node currently knows them: read once at start, re-read whenever
 * the change feed reports a settings change (made by any node or the CLI).
 */
export class SettingsHolder {
  #current: RuntimeSettings;
  readonly #store: Store;

  private constructor(store: Store, initial: RuntimeSettings) {
    this.#store = store;
    this.#current = initial;
  }

  static async load(store: Store): Promise<SettingsHolder> {
    return new SettingsHolder(store, await store.getSettings());
  }

  get current(): RuntimeSettings {
    return this.#current;
  }

  /** Applies a change from the feed; resolves once the new settings are in force. */
  async apply(change: Change): Promise<void> {
    if (change.kind === 'settings') this.#current = await this.#store.getSettings();
  }

  /** Re-reads the settings (after a lost change feed, or after this node changed them). */
  async refresh(): Promise<RuntimeSettings> {
    this.#current = await this.#store.getSettings();
    return this.#current;
  }
}
