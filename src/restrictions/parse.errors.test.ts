import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseErrorOf } from './restrictions.test-helpers.js';

/** Asserts the error's line, column and that its message starts with them and matches `reason`. */
function assertError(text: string, line: number, column: number, reason: RegExp | string): void {
  const error = parseErrorOf(text);
  assert.deepEqual([error.line, error.column], [line, column], error.message);
  const prefix = `line ${line}, column ${column}: `;
  assert.ok(error.message.startsWith(prefix), error.message);
  const rest = error.message.slice(prefix.length);
  if (typeof reason === 'string') assert.equal(rest, reason);
  else assert.match(rest, reason);
}

describe('parseLimitTo errors: URL regex', () => {
  test('a method list without URL regex', () => {
    assertError('[GET]', 1, 6, 'the URL regex is missing after [GET]; write .* to allow any URL');
  });

  test('parts without URL regex', () => {
    assertError('[QueryParam::a==b]', 1, 1, 'the URL regex is missing; write .* to allow any URL');
  });

  test('an invalid URL regex points into it', () => {
    assertError('[GET].*[A-Z', 1, 8, 'the URL regex: invalid regular expression (missing ]: [A-Z)');
  });

  test('a backreference in the URL regex points at it', () => {
    assertError('.*/(a)\\1', 1, 7, /^the URL regex: backreference \\1 is not supported: rules use RE2 syntax/);
  });

  test('look-behind in the URL regex', () => {
    assertError('[GET](?<!/admin).*', 1, 6, /^the URL regex: look-behind|^the URL regex: negative look-behind/);
  });

  test('\\Q…\\E in the URL regex', () => {
    assertError('.*\\Q/x\\E', 1, 3, /^the URL regex: \\Q…\\E quoting is not supported/);
  });

  test('a URL regex longer than 4,096 characters', () => {
    assertError(`[GET]/${'a'.repeat(4096)}`, 1, 6, /^the URL regex: the regex is 4,097 characters long; at most 4,096/);
  });

  test('a method list after the URL regex', () => {
    assertError('.*/x[POST]', 1, 5, 'the method list [POST] must come first on the line, as in [POST].*/x');
    assertError(
      '.*/x[QueryParam::a==b][get|put]',
      1,
      23,
      /^the method list \[get\|put\] must come first on the line, as in \[GET\|PUT\]/,
    );
  });
});

describe('parseLimitTo errors: methods', () => {
  test('an empty method name', () => {
    assertError('[GET,,POST].*', 1, 6, 'empty method name in [GET,,POST]; separate methods with | or ,');
    assertError('[GET|].*', 1, 6, /^empty method name/);
  });

  test('methods separated by a blank', () => {
    assertError(
      '[GET POST].*',
      1,
      2,
      '"GET POST" is not an HTTP method; separate methods with | or , as in [GET|POST]',
    );
  });
});

describe('parseLimitTo errors: parts', () => {
  test('an unknown part, with the closest part suggested (the example of the issue)', () => {
    assertError(
      '.*/rest/api/space.*\n[GET].*/content[QueryParm::spaceKey==PM]',
      2,
      16,
      'unknown part "[QueryParm::…" — did you mean [QueryParam::NAME==REGEX]?',
    );
    assertError('.*[JsonDta::type==page]', 1, 3, 'unknown part "[JsonDta::…" — did you mean [JsonData::NODE==REGEX]?');
  });

  test('an unknown part far from both', () => {
    assertError(
      '.*[Header::X-Thing==1]',
      1,
      3,
      'unknown part "[Header::…" — the parts are [QueryParam::NAME==REGEX] and [JsonData::NODE==REGEX]',
    );
  });

  test('a part with a single colon', () => {
    assertError(
      '.*[QueryParam:spaceKey==PM]',
      1,
      3,
      'unknown part "[QueryParam:…" — did you mean [QueryParam::NAME==REGEX]?',
    );
  });

  test('an unknown part after a known one', () => {
    assertError('.*[QueryParam::a==b][JsonDat::c==d]', 1, 21, /^unknown part "\[JsonDat::…"/);
  });

  test('a part that is not closed', () => {
    assertError('.*[QueryParam::a==b', 1, 3, '[QueryParam::a==…] is not closed: a ] is missing');
    assertError(
      '.*[QueryParam::a==[A-Z]',
      1,
      3,
      '[QueryParam::a==…] is not closed: a ] is missing (a [ in a regex starts a character class; write \\[ for a literal [)',
    );
  });

  test('a part that is not closed before the next part', () => {
    assertError('.*[QueryParam::a==b[JsonData::c==d]', 1, 3, /^\[QueryParam::a==…\] is not closed/);
  });

  test('a part without ==', () => {
    assertError(
      '.*[QueryParam::spaceKey]',
      1,
      3,
      'the part "[QueryParam::spaceKey]" has no ==; write [QueryParam::NAME==REGEX]',
    );
    assertError('.*[JsonData::type=page]', 1, 3, /has no ==; write \[JsonData::NODE==REGEX\]$/);
  });

  test('a missing name or node', () => {
    assertError('.*[QueryParam::==x]', 1, 16, 'the query parameter name is missing; write [QueryParam::NAME==REGEX]');
    assertError('.*[JsonData::==x]', 1, 14, 'the JSON node is missing; write [JsonData::NODE==REGEX]');
  });

  test('blanks around the name', () => {
    assertError(
      '.*[QueryParam::spaceKey == PM]',
      1,
      16,
      'the query parameter name "spaceKey " has spaces around it; write [QueryParam::NAME==REGEX] without spaces around ==',
    );
  });

  test('a JSON node that is not a dotted path', () => {
    for (const node of ['a..b', '.a', 'a.']) {
      assertError(
        `.*[JsonData::${node}==x]`,
        1,
        14,
        `the JSON node "${node}" is not a key or a dotted path such as space.key`,
      );
    }
  });

  test('an invalid regex in a part points into it', () => {
    assertError(
      '.*[QueryParam::a==(?=x)]',
      1,
      19,
      /^the regex of \[QueryParam::a==…\]: look-ahead \(\?=…\) is not supported/,
    );
    assertError(
      '.*[JsonData::t==x)]',
      1,
      17,
      /^the regex of \[JsonData::t==…\]: invalid regular expression \(unexpected \)/,
    );
  });

  test('a part regex longer than 4,096 characters', () => {
    assertError(`.*[QueryParam::a==${'x'.repeat(4097)}]`, 1, 19, /the regex is 4,097 characters long/);
  });

  test('text after the parts', () => {
    assertError(
      '.*[QueryParam::a==b] zz',
      1,
      22,
      'unexpected text "zz" after the parts; a rule ends with parts such as [QueryParam::NAME==REGEX] and [JsonData::NODE==REGEX]',
    );
  });
});

describe('parseLimitTo errors: positions', () => {
  test('line numbers count blank lines, every separator, and columns count leading blanks', () => {
    assertError('.*/a\r\n\r\n   [GET]', 3, 9, /URL regex is missing/);
    assertError('.*/a<br><br/>\\n\\\\n  [GET]', 5, 8, /URL regex is missing/);
  });

  test('too many rules', () => {
    const text = Array.from({ length: 1001 }, (_, i) => `.*/r${i}`).join('\n');
    assertError(text, 1001, 1, 'too many rules: at most 1,000 are allowed');
  });

  test('the first error wins', () => {
    assertError('[GET]\n[POST]', 1, 6, /URL regex is missing after \[GET\]/);
  });
});
