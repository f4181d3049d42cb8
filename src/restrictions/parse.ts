import { CompileBudget } from './compile-budget.js';
import { MAX_RULES } from './limits.js';
import { parseRuleLine } from './parse-line.js';
import { type ParsedRule, parsedRule, parsedRuleSet } from './parsed-rule.js';
import { splitLines } from './split-lines.js';
import type { ParseError, ParseResult } from './types.js';

function parseError(line: number, column: number, reason: string): ParseResult {
  const error: ParseError = { line, column, message: `line ${line}, column ${column}: ${reason}` };
  return { ok: false, error: Object.freeze(error) };
}

/**
 * Parses a limitTo text into a rule set, or the first error with its line and column (1-based).
 * Lines are separated by LF, CRLF, `\n`, `\\n` or `<br>` (see `splitLines`); blank lines are
 * ignored but counted. Empty text means unrestricted (`rules: []`); a text of only separators and
 * blanks is refused (it would otherwise be read as unrestricted). At most 1,000 rules; each
 * regex at most 4,096 characters and compiled with RE2 as a full match; regexes that would take
 * too long to compile (alone or together) are refused before RE2 sees them.
 *
 * @example
 * parseLimitTo('[GET].*\/rest/api/content.*[QueryParam::spaceKey==PM.*]') // { ok: true, ruleSet: { rules: [ … ], needsBody: false } }
 * parseLimitTo('.*\/x<br>[GET]')
 * // { ok: false, error: { line: 2, column: 6, message: 'line 2, column 6: the URL regex is missing after [GET]; …' } }
 */
export function parseLimitTo(text: string): ParseResult {
  const budget = new CompileBudget();
  const rules: ParsedRule[] = [];
  for (const line of splitLines(text)) {
    if (line.text === '') continue;
    if (rules.length === MAX_RULES) {
      return parseError(
        line.number,
        line.column,
        `too many rules: at most ${MAX_RULES.toLocaleString('en')} are allowed`,
      );
    }
    const parsed = parseRuleLine(line.text, budget);
    if ('reason' in parsed) return parseError(line.number, line.column + parsed.offset, parsed.reason);
    rules.push(parsedRule({ line: line.number, parts: Object.freeze(parsed.parts) }));
  }
  if (rules.length === 0 && text !== '') {
    return parseError(
      1,
      1,
      'limitTo has no rule, only line separators or blanks; leave it empty for an unrestricted token',
    );
  }
  return { ok: true, ruleSet: parsedRuleSet(rules) };
}
