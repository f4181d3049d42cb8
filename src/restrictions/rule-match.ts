import { isJsonObject, jsonNodeMatches } from './json-node.js';
import { methodAllowed, urlHasAnyPrefix } from './parsed-rule.js';
import type { RequestFacts, Rule } from './types.js';

/** How one rule relates to a request: it matches, a part fails (which), or the body is needed. */
export const RULE_MATCHES = 0;
export const METHOD_FAILS = 1;
export const URL_FAILS = 2;
export const QUERY_FAILS = 3;
export const JSON_FAILS = 4;
/** Everything but the JsonData parts matches, and the body has not been read. */
export const RULE_NEEDS_BODY = 5;
export type RuleOutcome =
  | typeof RULE_MATCHES
  | typeof METHOD_FAILS
  | typeof URL_FAILS
  | typeof QUERY_FAILS
  | typeof JSON_FAILS
  | typeof RULE_NEEDS_BODY;

/**
 * True when `facts.absoluteUrl` is some line-feed-free text followed by `facts.path` (as the
 * canonical request builds it), so that a `.*`-led glob need only be tested on the absolute URL.
 * Computed once per evaluation.
 */
export function absoluteUrlEndsWithPath(facts: RequestFacts): boolean {
  const absolute = facts.absoluteUrl;
  const origin = absolute.length - facts.path.length;
  if (origin <= 0 || !absolute.endsWith(facts.path)) return false;
  const lineFeed = absolute.indexOf('\n');
  return lineFeed < 0 || lineFeed >= origin;
}

/**
 * True when the URL regex fully matches the canonical path or the canonical absolute URL.
 * `viaAbsolute` is `absoluteUrlEndsWithPath(facts)`.
 */
export function urlMatches(rule: Rule, facts: RequestFacts, viaAbsolute: boolean): boolean {
  if (viaAbsolute && urlHasAnyPrefix(rule)) return rule.url.test(facts.absoluteUrl);
  if (rule.url.test(facts.path)) return true;
  return facts.absoluteUrl !== facts.path && rule.url.test(facts.absoluteUrl);
}

/** True when every QueryParam part has its parameter, and every value of it fully matches. */
function queryMatches(rule: Rule, facts: RequestFacts): boolean {
  const parts = rule.query;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const values = facts.query.get(part.name);
    if (values === undefined || values.length === 0) return false;
    for (let v = 0; v < values.length; v++) {
      if (!part.pattern.test(values[v] as string)) return false;
    }
  }
  return true;
}

/**
 * Checks one rule against a request, cheapest parts first (method, URL, query, body), without
 * allocating, and says which part failed first. Reasons in words: see `explainFailure`.
 * `methodBit` is `methodBit(facts.method)` and `viaAbsolute` is `absoluteUrlEndsWithPath(facts)`.
 */
export function matchRule(rule: Rule, facts: RequestFacts, methodBit: number, viaAbsolute: boolean): RuleOutcome {
  if (!methodAllowed(rule, facts.method, methodBit)) return METHOD_FAILS;
  if (!urlMatches(rule, facts, viaAbsolute)) return URL_FAILS;
  if (rule.query.length > 0 && !queryMatches(rule, facts)) return QUERY_FAILS;
  const parts = rule.json;
  if (parts.length === 0) return RULE_MATCHES;
  const body = facts.body;
  if (body === undefined) return RULE_NEEDS_BODY;
  if (body.kind !== 'json' || !isJsonObject(body.value)) return JSON_FAILS;
  for (let p = 0; p < parts.length; p++) {
    if (!jsonNodeMatches(body.value, parts[p]!, body.numberText ?? null)) return JSON_FAILS;
  }
  return RULE_MATCHES;
}
