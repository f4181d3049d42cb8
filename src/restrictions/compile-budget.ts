import { type CompileResult, compileFullMatcher } from './full-matcher.js';
import { MAX_REGEX_WEIGHT, MAX_RULE_SET_WEIGHT, REGEX_BASE_WEIGHT } from './limits.js';
import { regexWeight } from './regex-weight.js';

/**
 * Compiles the regexes of one rule set while keeping their total compile weight — each regex's
 * `regexWeight` plus `REGEX_BASE_WEIGHT` for RE2's fixed cost — under `MAX_RULE_SET_WEIGHT`, so
 * that many individually acceptable regexes cannot stall parsing together (see limits.ts for the
 * calibration). A regex that appears again in the same rule set is compiled and charged once.
 * One budget per `parseLimitTo` call.
 */
export class CompileBudget {
  private used = 0;
  private readonly compiled = new Map<string, CompileResult>();

  /** `compileFullMatcher(source)`, or an error when the rule set's budget is spent. */
  compile(source: string): CompileResult {
    const again = this.compiled.get(source);
    if (again !== undefined) return again;
    const weight = regexWeight(source);
    const charged = weight + REGEX_BASE_WEIGHT;
    if (weight <= MAX_REGEX_WEIGHT && this.used + charged > MAX_RULE_SET_WEIGHT) {
      return {
        ok: false,
        reason:
          `the rules together would take too long to compile (total weight over ${MAX_RULE_SET_WEIGHT.toLocaleString('en')}); ` +
          'use fewer or simpler regexes',
        offset: 0,
      };
    }
    const result = compileFullMatcher(source);
    if (result.ok) {
      this.used += charged;
      this.compiled.set(source, result);
    }
    return result;
  }
}
