import type { FullMatcher } from './full-matcher.js';
import { MAX_JSON_ARRAY_NESTING } from './limits.js';
import { quote, shorten } from './quote.js';
import type { JsonNumberSources } from './request-facts.js';

/**
 * JsonData semantics: the node (a key or a dotted path) must exist, and its value must be a
 * string, number or boolean whose text fully matches — for a number its source text, as the
 * upstream reads it (`1e2` is not `100`; `9007199254740993` is not `9007199254740992`). Arrays on the way or at
 * the end are looked through: every element must match, an empty array does not. Objects,
 * `null`, and arrays nested deeper than `MAX_JSON_ARRAY_NESTING` do not match. Only own
 * properties count (`constructor`, `__proto__` of a plain object are not nodes).
 */

/** True when `value` is a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text a number is matched as: its source text when the parser kept one, else JavaScript's. */
function numberTextOf(
  value: number,
  container: object | null,
  key: string | number,
  texts: JsonNumberSources | null,
): string {
  if (texts !== null && container !== null) {
    const source = texts.get(container)?.get(key);
    if (source !== undefined) return source;
  }
  return String(value);
}

function scalarMatches(
  value: unknown,
  pattern: FullMatcher,
  container: object | null,
  key: string | number,
  texts: JsonNumberSources | null,
): boolean {
  switch (typeof value) {
    case 'string':
      return pattern.test(value);
    case 'number':
      return pattern.test(numberTextOf(value, container, key, texts));
    case 'boolean':
      return pattern.test(value ? 'true' : 'false');
    default:
      return false;
  }
}

/** Does `value`, reached after `path[0..from)`, match the rest of the path? */
function matchesFrom(
  value: unknown,
  container: object | null,
  key: string | number,
  path: readonly string[],
  from: number,
  pattern: FullMatcher,
  nesting: number,
  texts: JsonNumberSources | null,
): boolean {
  let current = value;
  let parent = container;
  let at = key;
  for (let i = from; i < path.length; i++) {
    if (Array.isArray(current)) return everyElementMatches(current, path, i, pattern, nesting, texts);
    if (!isJsonObject(current) || !Object.hasOwn(current, path[i] as string)) return false;
    parent = current;
    at = path[i] as string;
    current = current[at];
  }
  if (Array.isArray(current)) return everyElementMatches(current, path, path.length, pattern, nesting, texts);
  return scalarMatches(current, pattern, parent, at, texts);
}

function everyElementMatches(
  array: readonly unknown[],
  path: readonly string[],
  from: number,
  pattern: FullMatcher,
  nesting: number,
  texts: JsonNumberSources | null,
): boolean {
  if (array.length === 0 || nesting >= MAX_JSON_ARRAY_NESTING) return false;
  for (let i = 0; i < array.length; i++) {
    if (!matchesFrom(array[i], array, i, path, from, pattern, nesting + 1, texts)) return false;
  }
  return true;
}

/**
 * True when the node at `path` of the body `root` (which the caller checked is an object) matches
 * `pattern`. Allocates nothing unless a number is turned into text.
 */
export function jsonNodeMatches(
  root: Record<string, unknown>,
  path: readonly string[],
  pattern: FullMatcher,
  texts: JsonNumberSources | null = null,
): boolean {
  return matchesFrom(root, null, '', path, 0, pattern, 0, texts);
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
  container: object | null,
  key: string | number,
  path: readonly string[],
  from: number,
  pattern: FullMatcher,
  shown: string,
  nesting: number,
  texts: JsonNumberSources | null,
): string | null {
  let current = value;
  let parent = container;
  let at = key;
  let where = shown;
  for (let i = from; i <= path.length; i++) {
    if (Array.isArray(current)) {
      if (current.length === 0) return `JSON node ${quote(where)} is an empty array`;
      if (nesting >= MAX_JSON_ARRAY_NESTING)
        return `JSON node ${quote(where)} nests arrays more than ${MAX_JSON_ARRAY_NESTING} deep`;
      for (let k = 0; k < current.length; k++) {
        const reason = explainFrom(current[k], current, k, path, i, pattern, `${where}[${k}]`, nesting + 1, texts);
        if (reason !== null) return reason;
      }
      return null;
    }
    if (i === path.length) break;
    const key = path[i] as string;
    const next = where === '' ? key : `${where}.${key}`;
    if (!isJsonObject(current)) return `JSON node ${quote(next)} is missing (${quote(where)} is ${kindOf(current)})`;
    if (!Object.hasOwn(current, key)) return `JSON node ${quote(next)} is missing`;
    parent = current;
    at = key;
    current = current[key];
    where = next;
  }
  if (current === null || typeof current === 'object') {
    return `JSON node ${quote(where)} is ${kindOf(current)}, not a string, number or boolean`;
  }
  if (scalarMatches(current, pattern, parent, at, texts)) return null;
  const text = typeof current === 'number' ? numberTextOf(current, parent, at, texts) : String(current);
  return `JSON node ${quote(where)} value ${quote(text)} does not match ${shorten(pattern.source)}`;
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
  texts: JsonNumberSources | null = null,
): string | null {
  return explainFrom(root, null, '', path, 0, pattern, '', 0, texts);
}
