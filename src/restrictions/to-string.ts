import type { Rule, RuleSet } from './types.js';

/** The separators `ruleSetToString` can join lines with. */
export type LineSeparator = '\n' | '<br>';

/**
 * One rule as normalised text: each part printed by its kind, in check order — methods upper
 * case joined with `|`, then the URL regex, then the QueryParam parts and the JsonData parts,
 * each kind in written order.
 *
 * @example
 * ruleToString(rule) // '[GET|POST].*\/rest/api/content.*[QueryParam::spaceKey==PM.*]'
 */
export function ruleToString(rule: Rule): string {
  let text = '';
  for (const part of rule.parts) text += part.kind.print(part);
  return text;
}

/**
 * The rule set as normalised limitTo text, one rule per line (blank lines dropped, so line
 * numbers refer to this text). Parsing the result gives the same rules: `parseLimitTo` ∘
 * `ruleSetToString` is stable.
 *
 * @example
 * ruleSetToString(parseLimitTo('[post].*\/a<br/>  \\n[get,put].*\/b').ruleSet, '\n') // '[POST].*\/a\n[GET|PUT].*\/b'
 */
export function ruleSetToString(ruleSet: RuleSet, separator: LineSeparator): string {
  return ruleSet.rules.map(ruleToString).join(separator);
}
