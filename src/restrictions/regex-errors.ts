/**
 * Turns RE2's terse syntax errors into reasons people understand, with the offset of the
 * offending text inside the pattern (for the column of a parse error).
 */

const LINEAR_TIME = 'rules use RE2 syntax, which runs in linear time and has no backreferences or look-around';

const LOOK_AROUND: Readonly<Record<string, string>> = {
  '(?=': 'look-ahead (?=…)',
  '(?!': 'negative look-ahead (?!…)',
  '(?<=': 'look-behind (?<=…)',
  '(?<!': 'negative look-behind (?<!…)',
  '(?>': 'atomic group (?>…)',
};

/** A reason in words and where, in the pattern, it points (0-based). */
export interface RegexProblem {
  readonly reason: string;
  readonly offset: number;
}

function offsetOf(pattern: string, fragment: string): number {
  return fragment === '' ? 0 : Math.max(0, pattern.indexOf(fragment));
}

/**
 * Explains the message of the `SyntaxError` RE2 threw for `pattern`.
 *
 * @example
 * explainRegexError('invalid escape sequence: \\1', '(a)\\1')
 * // { reason: 'backreference \\1 is not supported: rules use RE2 syntax, …', offset: 3 }
 */
export function explainRegexError(message: string, pattern: string): RegexProblem {
  const colon = message.indexOf(': ');
  const what = colon < 0 ? message : message.slice(0, colon);
  const fragment = colon < 0 ? '' : message.slice(colon + 2);

  const backreference = /^\\([1-9]|k)/.exec(fragment);
  if (what === 'invalid escape sequence' && backreference !== null) {
    const name = backreference[1] === 'k' ? 'named backreference \\k<…>' : `backreference ${backreference[0]}`;
    return { reason: `${name} is not supported: ${LINEAR_TIME}`, offset: offsetOf(pattern, backreference[0]) };
  }
  if (
    what === 'invalid perl operator' ||
    what === 'invalid named capture group' ||
    what === 'missing argument to repetition operator'
  ) {
    for (const [opener, name] of Object.entries(LOOK_AROUND)) {
      if (fragment.startsWith(opener)) {
        return { reason: `${name} is not supported: ${LINEAR_TIME}`, offset: offsetOf(pattern, opener) };
      }
    }
  }
  if (what === 'bad repetition operator') {
    return {
      reason: `a quantifier cannot follow another quantifier (${fragment}); possessive quantifiers such as a++ are not supported`,
      offset: offsetOf(pattern, fragment),
    };
  }
  if (message === 'trailing \\') {
    return {
      reason: 'the regex ends with a lone \\ (write \\\\ for a backslash)',
      offset: Math.max(0, pattern.length - 1),
    };
  }
  return { reason: `invalid regular expression (${message})`, offset: offsetOf(pattern, fragment) };
}
