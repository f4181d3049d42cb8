import type { RuntimeSettings } from '../store/models.js';
import type { Store } from '../store/store.js';
import { SETTING_FIELDS } from './set-contract.js';

/** The settings a validated `tokenTools/set` body changes (fields left out stay as they are). */
export function settingsPatchOf(body: Readonly<Record<string, unknown>>): Partial<RuntimeSettings> {
  return Object.fromEntries(
    SETTING_FIELDS.filter((key) => body[key] !== undefined).map((key) => [key, body[key]]),
  ) as Partial<RuntimeSettings>;
}

/** True when a body names a setting (and so is a settings change, not a token creation). */
export function namesSetting(body: Readonly<Record<string, unknown>>): boolean {
  return SETTING_FIELDS.some((key) => key in body);
}

/** `authType=bearer, maxExpiryDays=none` — what the audit record says was changed. */
export function describeSettingsPatch(patch: Partial<RuntimeSettings>): string {
  return Object.entries(patch)
    .map(([key, value]) => `${key}=${value === null ? 'none' : value}`)
    .join(', ');
}

/**
 * Stores a settings change made through the admin API or the CLI. Every node learns it from the
 * change feed. Returns the settings as stored now.
 */
export function changeSettings(
  store: Pick<Store, 'updateSettings'>,
  patch: Partial<RuntimeSettings>,
): Promise<RuntimeSettings> {
  return store.updateSettings(patch);
}
