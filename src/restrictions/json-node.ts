import type { FullMatcher } from './full-matcher.js';
import { MAX_JSON_ARRAY_NESTING } from './limits.js';
import { quote, shorten } from './quote.js';

/**
 * JsonData semantics: the node (a key or a dotted path) must exist, and its value must be a
 * string, number or boolean whose text (`String(value)`) fully matches. Arrays on the way or at
 * the end are looked through: every element must match, an empty array does not. Objects,
 * `null`, and arrays nested deeper than `MAX_JSON_ARRAY_NESTING` do not match. Only own
 * properties count (`constructor`, `__proto__` of a plain object are not nodes).
 */

/** True when `value` is a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarMatches(value: unknown, pattern: FullMatcher): boolean {
  switch (typeof value) {
    case 'string':
      return pattern.test(value);
    case 'number':
      return pattern.test(String(value));
    case 'boolean':
      return pattern.test(value ? 'true' : 'false');
    default:
      return false;
  }
}

/** Does `value`, reached after `path[0..from)`, match the rest of the path? */
function matchesFrom(
  value: unknown,
  path: readonly string[],
  from: number,
  pattern: FullMatcher,
  nesting: number,
): boolean {
  let current = value;
  for (let i = from; i < path.length; i++) {
    if (Array.isArray(current)) return everyElementMatches(current, path, i, pattern, nesting);
    if (!isJsonObject(current) || !Object.hasOwn(current, path[i] as string)) return false;
    current = current[path[i] as string];
  }
  if (Array.isArray(current)) return everyElementMatches(current, path, path.length, pattern, nesting);
  return scalarMatches(current, pattern);
}

function everyElementMatches(
  array: readonly unknown[],
  path: readonly string[],
  from: number,
  pattern: FullMatcher,
  nesting: number,
): boolean {
  if (array.length === 0 || nesting >= MAX_JSON_ARRAY_NESTING) return false;
  for (let i = 0; i < array.length; i++) {
    if (!matchesFrom(array[i], path, from, pattern, nesting + 1)) return false;
  }
  return true;
}

/**
 * True when the node at `path` of the body `root` (which the caller checked is an object) matches
 * `pattern`. Allocates nothing unless a number is turned into text.
 */
export function jsonNodeMatches(root: Record<string, unknown>, path: readonly string[], pattern: FullMatcher): boolean {
  return matchesFrom(root, path, 0, pattern, 0);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** The first reason the rest of the path fails from `value`, or null when it matches. */
function explainFrom(
  value: unknown,
  path: readonly string[],
  from: number,
  pattern: FullMatcher,
  shown: string,
  nesting: number,
): string | null {
  let current = value;
  let where = shown;
  for (let i = from; i <= path.length; i++) {
    if (Array.isArray(current)) {
      if (current.length === 0) return `JSON node ${quote(where)} is an empty array`;
      if (nesting >= MAX_JSON_ARRAY_NESTING)
        return `JSON node ${quote(where)} nests arrays more than ${MAX_JSON_ARRAY_NESTING} deep`;
      for (let k = 0; k < current.length; k++) {
        const reason = explainFrom(current[k], path, i, pattern, `${where}[${k}]`, nesting + 1);
        if (reason !== null) return reason;
      }
      return null;
    }
    if (i === path.length) break;
    const key = path[i] as string;
    const next = where === '' ? key : `${where}.${key}`;
    if (!isJsonObject(current)) return `JSON node ${quote(next)} is missing (${quote(where)} is ${kindOf(current)})`;
    if (!Object.hasOwn(current, key)) return `JSON node ${quote(next)} is missing`;
    current = current[key];
    where = next;
  }
  if (current === null || typeof current === 'object') {
    return `JSON node ${quote(where)} is ${kindOf(current)}, not a string, number or boolean`;
  }
  if (scalarMatches(current, pattern)) return null;
  return `JSON node ${quote(where)} value ${quote(String(current))} does not match ${shorten(pattern.source)}`;
}

/**
 * Why the node at `path` of the body object `root` does not match `pattern`, in words, or null
 * when it matches.
 *
 * @example
 * explainJsonNode({ type: 'blogpost' }, ['type'], page) // 'JSON node "type" value "blogpost" does not match page'
 */
export function explainJsonNode(
  root: Record<string, unknown>,
  path: readonly string[],
  pattern: FullMatcher,
): string | null {
  return explainFrom(root, path, 0, pattern, '', 0);
}
