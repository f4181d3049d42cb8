import type { MatchContext } from './part-kind.js';
import type { RequestFacts } from './request-facts.js';
import type { Rule, RuleSet, Verdict } from './types.js';

/**
 * A rule as `parseLimitTo` builds it: the public `Rule` plus what evaluation would otherwise
 * compute per request. `evaluate` also accepts plain `Rule` objects and computes these then.
 */
export interface ParsedRule extends Rule {
  /** The verdict returned when this rule allows (so allowing allocates nothing). */
  readonly allowedVerdict: Verdict & { readonly allowed: true };
  /** `bodyPartsFrom(rule)`. */
  readonly bodyFrom: number;
}

/**
 * The index of the rule's first part that needs the body (`parts.length` when none): the parts
 * from there on are checked only once the body has been read. Parts that need the body come
 * last (see `inCheckOrder`).
 */
export function bodyPartsFrom(rule: Rule): number {
  const known = (rule as Partial<ParsedRule>).bodyFrom;
  if (known !== undefined) return known;
  const index = rule.parts.findIndex((part) => part.kind.needsBody);
  return index < 0 ? rule.parts.length : index;
}

/**
 * A rule set as `parseLimitTo` builds it, with scratch space for one evaluation: `outcomes` (one
 * entry per rule: the scan writes each rule's outcome there and a denial reads them back instead
 * of matching every rule again) and `context` (the request and what is derived from it once).
 * Evaluation is synchronous and parsed rules call no outside code, so one evaluation never sees
 * another's entries.
 */
export interface ParsedRuleSet extends RuleSet {
  readonly outcomes: Int32Array;
  readonly context: MatchContext;
}

/** A value that evaluation reads but that is no part of the data (not enumerable, not in JSON). */
function hidden(value: unknown): PropertyDescriptor {
  return { value, enumerable: false, writable: false, configurable: false };
}

/** What a context holds between evaluations: no request (so none is kept alive). */
export const NO_FACTS: RequestFacts = Object.freeze({
  method: '',
  path: '',
  absoluteUrl: '',
  query: new Map<string, readonly string[]>(),
  body: undefined,
});

/** A context with no request in it. */
export function emptyMatchContext(): MatchContext {
  return { facts: NO_FACTS, methodBit: 0, viaAbsolute: false };
}

/** Adds what evaluation precomputes to a rule, and freezes it. */
export function parsedRule(rule: Rule): ParsedRule {
  return Object.freeze(
    Object.defineProperties(rule, {
      allowedVerdict: hidden(Object.freeze({ allowed: true, line: rule.line })),
      bodyFrom: hidden(bodyPartsFrom(rule)),
    }) as ParsedRule,
  );
}

/** The rule set of parsed rules, frozen, with its scratch space. */
export function parsedRuleSet(rules: readonly ParsedRule[]): ParsedRuleSet {
  const ruleSet: RuleSet = {
    rules: Object.freeze([...rules]),
    needsBody: rules.some((rule) => rule.parts.some((part) => part.kind.needsBody)),
  };
  return Object.freeze(
    Object.defineProperties(ruleSet, {
      outcomes: hidden(new Int32Array(rules.length)),
      context: hidden(emptyMatchContext()),
    }) as ParsedRuleSet,
  );
}

/** The outcome scratch space of a parsed rule set, or undefined for a rule set built by hand. */
export function outcomeScratchOf(ruleSet: RuleSet): Int32Array | undefined {
  const outcomes = (ruleSet as Partial<ParsedRuleSet>).outcomes;
  return outcomes !== undefined && outcomes.length === ruleSet.rules.length ? outcomes : undefined;
}

/** The match context of a parsed rule set, or a new one for a rule set built by hand. */
export function matchContextOf(ruleSet: RuleSet): MatchContext {
  return (ruleSet as Partial<ParsedRuleSet>).context ?? emptyMatchContext();
}

/** The verdict a rule returns when it allows. */
export function allowedVerdictOf(rule: Rule): Verdict {
  return (rule as Partial<ParsedRule>).allowedVerdict ?? { allowed: true, line: rule.line };
}
