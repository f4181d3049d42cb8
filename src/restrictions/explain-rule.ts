import { explainJsonNode, isJsonObject } from './json-node.js';
import { methodBit } from './method-bits.js';
import { methodsTextOf } from './parsed-rule.js';
import { quote, shorten } from './quote.js';
import {
  absoluteUrlEndsWithPath,
  JSON_FAILS,
  METHOD_FAILS,
  matchRule,
  QUERY_FAILS,
  RULE_MATCHES,
  RULE_NEEDS_BODY,
  type RuleOutcome,
  URL_FAILS,
} from './rule-match.js';
import type { LineFailure, RequestFacts, Rule } from './types.js';

function queryReason(rule: Rule, facts: RequestFacts): string {
  for (const part of rule.query) {
    const values = facts.query.get(part.name);
    if (values === undefined || values.length === 0) return `query parameter ${quote(part.name)} is missing`;
    for (const value of values) {
      if (!part.pattern.test(value)) {
        return `query parameter ${quote(part.name)} value ${quote(value)} does not match ${shorten(part.pattern.source)}`;
      }
    }
  }
  return 'a query parameter does not match';
}

function jsonReason(rule: Rule, facts: RequestFacts): string {
  const body = facts.body;
  if (body === undefined) return 'the body has not been read yet (JsonData parts need it)';
  if (body.kind === 'none') return 'the request has no body; JsonData parts need a JSON object';
  if (!isJsonObject(body.value)) return 'body is not a JSON object';
  for (const part of rule.json) {
    const reason = explainJsonNode(body.value, part, body.numberText ?? null);
    if (reason !== null) return reason;
  }
  return 'a JSON node does not match';
}

/**
 * The reason in words for a rule's outcome other than `RULE_MATCHES` (as `matchRule` found it).
 *
 * @example
 * explainFailure(postOnlyRule, getFacts, METHOD_FAILS) // { line: 1, part: 'method', reason: 'method GET is not one of POST' }
 */
export function explainFailure(rule: Rule, facts: RequestFacts, outcome: Exclude<RuleOutcome, 0>): LineFailure {
  switch (outcome) {
    case METHOD_FAILS:
      return {
        line: rule.line,
        part: 'method',
        reason: `method ${shorten(facts.method, 40)} is not one of ${methodsTextOf(rule)}`,
      };
    case URL_FAILS:
      return {
        line: rule.line,
        part: 'url',
        reason: `URL ${shorten(facts.path)} does not match ${shorten(rule.url.source)}`,
      };
    case QUERY_FAILS:
      return { line: rule.line, part: 'query', reason: queryReason(rule, facts) };
    case JSON_FAILS:
    case RULE_NEEDS_BODY:
      return { line: rule.line, part: 'json', reason: jsonReason(rule, facts) };
  }
}

/**
 * The first part of `rule` that does not match the request, and why in words — or null when the
 * rule matches. Parts are checked in order: method, URL, query, body.
 *
 * @example
 * explainRule(postOnlyRule, getFacts) // { line: 1, part: 'method', reason: 'method GET is not one of POST' }
 */
export function explainRule(rule: Rule, facts: RequestFacts): LineFailure | null {
  const outcome = matchRule(rule, facts, methodBit(facts.method), absoluteUrlEndsWithPath(facts));
  return outcome === RULE_MATCHES ? null : explainFailure(rule, facts, outcome);
}
