import type { KeyValueTable } from './database.js';
import { DEFAULT_SETTINGS, type RuntimeSettings } from './models.js';

type SettingName = keyof RuntimeSettings;

const NAMES = Object.keys(DEFAULT_SETTINGS) as SettingName[];
const AUTH_TYPES: readonly string[] = ['basic', 'bearer', 'both'];

/** Settings whose value may be null (no limit) as well as a whole number. */
const NULLABLE_NUMBERS: readonly SettingName[] = ['maxExpiryDays'];

function isValid(name: SettingName, value: unknown): boolean {
  if (name === 'authType') return typeof value === 'string' && AUTH_TYPES.includes(value);
  if (NULLABLE_NUMBERS.includes(name)) return value === null || (Number.isInteger(value) && (value as number) > 0);
  return typeof value === typeof DEFAULT_SETTINGS[name];
}

/**
 * Stored settings rows merged over {@link DEFAULT_SETTINGS}. Unknown keys, unreadable JSON and
 * values of the wrong type are ignored (the default wins).
 */
export function mergeSettings(rows: readonly KeyValueTable[]): RuntimeSettings {
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const row of rows) {
    const name = NAMES.find((n) => n === row.key);
    if (name === undefined) continue;
    let value: unknown;
    try {
      value = JSON.parse(row.value);
    } catch {
      continue;
    }
    if (isValid(name, value)) out[name] = value;
  }
  return Object.freeze(out) as unknown as RuntimeSettings;
}

/** Rows to upsert for `patch`: known settings only, undefined values skipped, values as JSON. */
export function settingsRows(patch: Partial<RuntimeSettings>): KeyValueTable[] {
  const rows: KeyValueTable[] = [];
  for (const name of NAMES) {
    const value = patch[name];
    if (value === undefined) continue;
    if (!isValid(name, value)) throw new TypeError(`setting ${name} has an invalid value`);
    rows.push({ key: name, value: JSON.stringify(value) });
  }
  return rows;
}
