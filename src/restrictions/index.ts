/**
 * The limitTo restriction engine: parse a rule text once, evaluate many requests against it.
 * Pure: no I/O, no clock, no globals.
 */
export { describeVerdict } from './describe.js';
export { evaluate } from './evaluate.js';
export { explainRule } from './explain-rule.js';
export { type CompileResult, compileFullMatcher, type MatchStrategy } from './full-matcher.js';
export { MAX_REGEX_LENGTH, MAX_REGEX_WEIGHT, MAX_RULE_SET_WEIGHT, MAX_RULES, REGEX_BASE_WEIGHT } from './limits.js';
export { parseLimitTo } from './parse.js';
export { parseLimitToCached } from './parse-cache.js';
export { PART_KINDS } from './part-registry.js';
export { dryRunBody, NO_BODY, requestFacts } from './request-facts.js';
export { type LineSeparator, ruleSetToString, ruleToString } from './to-string.js';
export type * from './types.js';
