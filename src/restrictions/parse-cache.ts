import { LRUCache } from 'lru-cache';
import { parseLimitTo } from './parse.js';
import { regexWeight } from './regex-weight.js';
import type { ParseResult } from './types.js';

/** Memory of compiled rule sets kept, about (RE2 programs take some 35 bytes per weight unit). */
const CACHE_BYTES = 64 * 1024 * 1024;
const BYTES_PER_WEIGHT_UNIT = 40;
const MOST_RULE_SETS = 1024;

/** What a parse result holds in memory, about: its text and its compiled regexes. */
function sizeOf(result: ParseResult, text: string): number {
  let weight = 0;
  if (result.ok) {
    for (const rule of result.ruleSet.rules) {
      for (const part of rule.parts) {
        // the parts that hold a compiled regex (URL, QueryParam, JsonData, …) have a pattern
        const pattern = (part as { readonly pattern?: { readonly source?: unknown } }).pattern;
        if (typeof pattern?.source === 'string') weight += regexWeight(pattern.source);
      }
    }
  }
  return Math.max(1, 2 * text.length + BYTES_PER_WEIGHT_UNIT * weight);
}

/**
 * Parse results by rule text, least recently used first out (bounded by count and by an
 * estimate of their memory). A rule set is compiled once however often it is checked or used
 * to create tokens; results are immutable, so they are shared as they are. Module-wide on
 * purpose: compiled rule sets are the same for every caller in the process.
 */
const cache = new LRUCache<string, ParseResult>({
  max: MOST_RULE_SETS,
  maxSize: CACHE_BYTES,
  sizeCalculation: (result, text) => sizeOf(result, text),
});

/**
 * `parseLimitTo(text)`, remembered: the same text is parsed (and its regexes compiled) once.
 *
 * @example
 * parseLimitToCached('[GET].*\/rest/api/space.*') === parseLimitToCached('[GET].*\/rest/api/space.*') // true
 */
export function parseLimitToCached(text: string): ParseResult {
  const known = cache.get(text);
  if (known !== undefined) return known;
  const result = parseLimitTo(text);
  cache.set(text, result);
  return result;
}
