import { bodyPartsFrom } from './parsed-rule.js';
import type { MatchContext } from './part-kind.js';
import type { Rule } from './types.js';

/**
 * How one rule relates to a request, as one number (it fits the `Int32Array` scratch space):
 * `RULE_MATCHES`; `i + 1` when part `i` (in `rule.parts`) is the first that fails; `-(i + 1)`
 * when part `i` needs the body, which has not been read, and every part before it matches.
 */
export type RuleOutcome = number;
export const RULE_MATCHES: RuleOutcome = 0;

/** True when the outcome says the rule could only be decided with the body. */
export function needsBodyOutcome(outcome: RuleOutcome): boolean {
  return outcome < 0;
}

/** The index in `rule.parts` of the part an outcome other than `RULE_MATCHES` names. */
export function partIndexOf(outcome: RuleOutcome): number {
  return (outcome < 0 ? -outcome : outcome) - 1;
}

/**
 * Checks one rule against a request, part by part in check order (cheapest kinds first, the
 * kinds that need the body last), without allocating, and says which part stopped it. Reasons
 * in words: see `explainFailure`.
 */
export function matchRule(rule: Rule, context: MatchContext): RuleOutcome {
  const parts = rule.parts;
  // Without the body, the parts that need it are not asked: the rule needs the body if the others match.
  const end = context.facts.body === undefined ? bodyPartsFrom(rule) : parts.length;
  for (let i = 0; i < end; i++) {
    const part = parts[i]!;
    if (!part.kind.match(part, context)) return i + 1;
  }
  return end < parts.length ? -(end + 1) : RULE_MATCHES;
}
