import { explainFailure } from './explain-rule.js';
import { methodBit } from './method-bits.js';
import { allowedVerdictOf, outcomeScratchOf } from './parsed-rule.js';
import { absoluteUrlEndsWithPath, matchRule, RULE_MATCHES, RULE_NEEDS_BODY, type RuleOutcome } from './rule-match.js';
import type { LineFailure, RequestFacts, RuleSet, Verdict } from './types.js';

const UNRESTRICTED: Verdict = Object.freeze({ allowed: true, line: 0 });

/**
 * The denial: for every rule, the first part that failed and why. `outcomes` holds what the scan
 * found for each rule; without it (a rule set built by hand) every rule is matched again.
 */
function denial(
  ruleSet: RuleSet,
  facts: RequestFacts,
  outcomes: Uint8Array | undefined,
  bit: number,
  viaAbsolute: boolean,
  needsBody: boolean,
): Verdict {
  const rules = ruleSet.rules;
  const failures: LineFailure[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const outcome = outcomes === undefined ? matchRule(rule, facts, bit, viaAbsolute) : (outcomes[i] as RuleOutcome);
    // A rule never matches here (the scan would have returned); stay closed if one did.
    if (outcome !== RULE_MATCHES) failures.push(explainFailure(rule, facts, outcome));
  }
  return { allowed: false, needsBody, failures };
}

/**
 * Decides a request against a rule set: allowed when **any** rule matches, a rule matching when
 * **all** its parts do (method, URL on the canonical path or absolute URL, every QueryParam,
 * every JsonData). With no body given (`facts.body === undefined`), a rule that could only be
 * decided by its JsonData parts makes the verdict `{ allowed: false, needsBody: true }` — unless
 * another rule allows without the body; the caller then reads the body and asks again.
 * A denial lists, for every rule, the first part that failed and why.
 *
 * Pure (the scratch space of a parsed rule set aside, see `ParsedRuleSet`); allocates nothing
 * when a parsed rule set allows the request.
 *
 * @example
 * evaluate(parsed.ruleSet, { method: 'GET', path: '/rest/api/space', absoluteUrl: '/rest/api/space', query: new Map() })
 * // { allowed: true, line: 1 }
 */
export function evaluate(ruleSet: RuleSet, facts: RequestFacts): Verdict {
  const rules = ruleSet.rules;
  if (rules.length === 0) return UNRESTRICTED;
  const bit = methodBit(facts.method);
  const viaAbsolute = absoluteUrlEndsWithPath(facts);
  const outcomes = outcomeScratchOf(ruleSet);
  let needsBody = false;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const outcome = matchRule(rule, facts, bit, viaAbsolute);
    if (outcome === RULE_MATCHES) return allowedVerdictOf(rule);
    if (outcome === RULE_NEEDS_BODY) needsBody = true;
    if (outcomes !== undefined) outcomes[i] = outcome;
  }
  return denial(ruleSet, facts, outcomes, bit, viaAbsolute, needsBody);
}
