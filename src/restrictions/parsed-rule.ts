import type { StrategyMatcher } from './full-matcher.js';
import { methodMask } from './method-bits.js';
import type { Rule, RuleSet, Verdict } from './types.js';

/**
 * A rule as `parseLimitTo` builds it: the public `Rule` plus what evaluation would otherwise
 * compute per request. `evaluate` also accepts plain `Rule` objects and computes these then.
 */
export interface ParsedRule extends Rule {
  /** The verdict returned when this rule allows (so allowing allocates nothing). */
  readonly allowedVerdict: Verdict & { readonly allowed: true };
  /** The methods as shown in reasons: `POST, PUT`; '' when any method. */
  readonly methodsText: string;
  /** `methodMask(methods)`; 0 when any method. */
  readonly methodMask: number;
}

/**
 * A rule set as `parseLimitTo` builds it. `outcomes` is scratch space for one evaluation (one
 * entry per rule): the scan writes each rule's outcome there and a denial reads them back
 * instead of matching every rule again. Evaluation is synchronous and parsed rules call no
 * outside code, so one evaluation never sees another's entries.
 */
export interface ParsedRuleSet extends RuleSet {
  readonly outcomes: Uint8Array;
}

/** A value that evaluation reads but that is no part of the data (not enumerable, not in JSON). */
function hidden(value: unknown): PropertyDescriptor {
  return { value, enumerable: false, writable: false, configurable: false };
}

/** Adds what evaluation precomputes to a rule, and freezes it. */
export function parsedRule(rule: Rule): ParsedRule {
  const methods = rule.methods === null ? null : [...rule.methods];
  return Object.freeze(
    Object.defineProperties(rule, {
      allowedVerdict: hidden(Object.freeze({ allowed: true, line: rule.line })),
      methodsText: hidden(methods === null ? '' : methods.join(', ')),
      methodMask: hidden(methods === null ? 0 : methodMask(methods)),
    }) as ParsedRule,
  );
}

/** The rule set of parsed rules, frozen, with its scratch space. */
export function parsedRuleSet(rules: readonly ParsedRule[]): ParsedRuleSet {
  const ruleSet: RuleSet = { rules: Object.freeze([...rules]), needsBody: rules.some((rule) => rule.json.length > 0) };
  return Object.freeze(
    Object.defineProperty(ruleSet, 'outcomes', hidden(new Uint8Array(rules.length))) as ParsedRuleSet,
  );
}

/** The scratch space of a parsed rule set, or undefined for a rule set built by hand. */
export function outcomeScratchOf(ruleSet: RuleSet): Uint8Array | undefined {
  const outcomes = (ruleSet as Partial<ParsedRuleSet>).outcomes;
  return outcomes !== undefined && outcomes.length === ruleSet.rules.length ? outcomes : undefined;
}

/** The verdict a rule returns when it allows. */
export function allowedVerdictOf(rule: Rule): Verdict {
  return (rule as Partial<ParsedRule>).allowedVerdict ?? { allowed: true, line: rule.line };
}

/** The methods of a rule as shown in reasons: `POST, PUT`. */
export function methodsTextOf(rule: Rule): string {
  const text = (rule as Partial<ParsedRule>).methodsText;
  if (text !== undefined) return text;
  return rule.methods === null ? '' : [...rule.methods].join(', ');
}

/**
 * True when the rule allows the method. `bit` is `methodBit(facts.method)`, computed once per
 * evaluation; a parsed rule then decides with one `&` (its `Set` only for non-standard methods).
 */
export function methodAllowed(rule: Rule, method: string, bit: number): boolean {
  const methods = rule.methods;
  if (methods === null) return true;
  const mask = (rule as Partial<ParsedRule>).methodMask;
  if (bit !== 0 && mask !== undefined) return (mask & bit) !== 0;
  return methods.has(method);
}

/** True when the rule's URL matcher says a match on the path implies one on public URL + path. */
export function urlHasAnyPrefix(rule: Rule): boolean {
  return (rule.url as Partial<StrategyMatcher>).anyPrefix === true;
}
