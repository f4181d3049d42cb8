import { explainFailure } from './explain-rule.js';
import { prepareMatch } from './match-context.js';
import { allowedVerdictOf, matchContextOf, NO_FACTS, outcomeScratchOf } from './parsed-rule.js';
import type { MatchContext } from './part-kind.js';
import type { RequestFacts } from './request-facts.js';
import { matchRule, needsBodyOutcome, RULE_MATCHES, type RuleOutcome } from './rule-match.js';
import type { LineFailure, RuleSet, Verdict } from './types.js';

const UNRESTRICTED: Verdict = Object.freeze({ allowed: true, line: 0 });

/**
 * The denial: for every rule, the first part that failed and why. `outcomes` holds what the scan
 * found for each rule; without it (a rule set built by hand) every rule is matched again.
 */
function denial(
  ruleSet: RuleSet,
  context: MatchContext,
  outcomes: Int32Array | undefined,
  needsBody: boolean,
): Verdict {
  const rules = ruleSet.rules;
  const failures: LineFailure[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const outcome = outcomes === undefined ? matchRule(rule, context) : (outcomes[i] as RuleOutcome);
    // A rule never matches here (the scan would have returned); stay closed if one did.
    if (outcome !== RULE_MATCHES) failures.push(explainFailure(rule, context.facts, outcome));
  }
  return { allowed: false, needsBody, failures };
}

function scan(ruleSet: RuleSet, context: MatchContext): Verdict {
  const rules = ruleSet.rules;
  const outcomes = outcomeScratchOf(ruleSet);
  let needsBody = false;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const outcome = matchRule(rule, context);
    if (outcome === RULE_MATCHES) return allowedVerdictOf(rule);
    if (needsBodyOutcome(outcome)) needsBody = true;
    if (outcomes !== undefined) outcomes[i] = outcome;
  }
  return denial(ruleSet, context, outcomes, needsBody);
}

/**
 * Decides a request against a rule set: allowed when **any** rule matches, a rule matching when
 * **all** its parts do (method, URL on the canonical path or absolute URL, every QueryParam,
 * every JsonData — every kind of `PART_KINDS`). With no body given (`facts.body === undefined`),
 * a rule that could only be decided by its parts that need the body makes the verdict
 * `{ allowed: false, needsBody: true }` — unless another rule allows without the body; the
 * caller then reads the body and asks again. A denial lists, for every rule, the first part that
 * failed and why.
 *
 * Pure (the scratch space of a parsed rule set aside, see `ParsedRuleSet`); allocates nothing
 * when a parsed rule set allows the request.
 *
 * @example
 * evaluate(parsed.ruleSet, requestFacts(canonical))
 * // { allowed: true, line: 1 }
 */
export function evaluate(ruleSet: RuleSet, facts: RequestFacts): Verdict {
  if (ruleSet.rules.length === 0) return UNRESTRICTED;
  const context = prepareMatch(matchContextOf(ruleSet), facts);
  const verdict = scan(ruleSet, context);
  // The scratch context outlives the call: keep no request (or its body) alive in it.
  context.facts = NO_FACTS;
  return verdict;
}
