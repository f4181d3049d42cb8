import { type CompileResult, compileFullMatcher } from './full-matcher.js';
import { MAX_REGEX_WEIGHT, MAX_RULE_SET_WEIGHT } from './limits.js';
import { regexWeight } from './regex-weight.js';

/**
 * Compiles the regexes of one rule set while keeping their total compile weight under
 * `MAX_RULE_SET_WEIGHT`, so that many individually acceptable regexes cannot stall parsing
 * together. One budget per `parseLimitTo` call.
 */
export class CompileBudget {
  private used = 0;

  /** `compileFullMatcher(source)`, or an error when the rule set's budget is spent. */
  compile(source: string): CompileResult {
    const weight = regexWeight(source);
    if (weight <= MAX_REGEX_WEIGHT && this.used + weight > MAX_RULE_SET_WEIGHT) {
      return {
        ok: false,
        reason:
          `the rules together would take too long to compile (total weight over ${MAX_RULE_SET_WEIGHT.toLocaleString('en')}); ` +
          'use fewer or simpler regexes',
        offset: 0,
      };
    }
    const result = compileFullMatcher(source);
    if (result.ok) this.used += weight;
    return result;
  }
}
