import { prepareMatch } from './match-context.js';
import { emptyMatchContext } from './parsed-rule.js';
import type { RequestFacts } from './request-facts.js';
import { matchRule, partIndexOf, RULE_MATCHES, type RuleOutcome } from './rule-match.js';
import type { LineFailure, PartName, Rule } from './types.js';

/**
 * The reason in words for a rule's outcome other than `RULE_MATCHES` (as `matchRule` found it):
 * the part that stopped the rule explains itself.
 *
 * @example
 * explainFailure(postOnlyRule, getFacts, 1) // { line: 1, part: 'method', reason: 'method GET is not one of POST' }
 */
export function explainFailure(rule: Rule, facts: RequestFacts, outcome: RuleOutcome): LineFailure {
  const part = rule.parts[partIndexOf(outcome)];
  // An outcome always names a part of its rule; stay closed with a plain reason if one did not.
  if (part === undefined) return { line: rule.line, part: 'url', reason: 'the rule does not match' };
  return { line: rule.line, part: part.kind.name as PartName, reason: part.kind.explain(part, facts) };
}

/**
 * The first part of `rule` that does not match the request, and why in words — or null when the
 * rule matches. Parts are checked in order: method, URL, query, body.
 *
 * @example
 * explainRule(postOnlyRule, getFacts) // { line: 1, part: 'method', reason: 'method GET is not one of POST' }
 */
export function explainRule(rule: Rule, facts: RequestFacts): LineFailure | null {
  const outcome = matchRule(rule, prepareMatch(emptyMatchContext(), facts));
  return outcome === RULE_MATCHES ? null : explainFailure(rule, facts, outcome);
}
