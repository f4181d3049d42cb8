import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileFullMatcher } from './full-matcher.js';
import { MAX_REGEX_WEIGHT } from './limits.js';
import { parseLimitTo } from './parse.js';
import { regexWeight } from './regex-weight.js';
import { parseErrorOf } from './restrictions.test-helpers.js';

describe('regexWeight', () => {
  const cases: [string, number][] = [
    ['', 0],
    ['page', 4],
    ['.*/rest/api/space.*', 35],
    ['[0-9]{1,3}', 3],
    ['[^/]+', 10],
    ['.{1000}', 10_000],
    ['a{2,}', 3],
    ['(a|bc){10}', 30],
    ['((.{10}){10}){10}', 10_000],
    ['\\pL', 2_500],
    ['\\p{Greek}{4}', 10_000],
    ['[\\pL\\d]{2}', 5_000],
    ['(?i)ab', 2],
    ['(?P<id>\\d+)', 1],
    ['a{,3}', 5],
    ['a{2', 3],
  ];
  for (const [pattern, weight] of cases) {
    test(`${JSON.stringify(pattern)} weighs ${weight}`, () => {
      assert.equal(regexWeight(pattern), weight);
    });
  }

  test('never throws and always finishes on broken syntax', () => {
    for (const pattern of [
      ')',
      '((((',
      '\\',
      '[',
      '[^',
      '(?',
      '(?P<x',
      'a{99999999999}',
      '\\p{',
      '\\x{',
      '|||',
      '*+?',
    ]) {
      assert.equal(typeof regexWeight(pattern), 'number');
    }
  });
});

describe('compile weight limits', () => {
  test('a short regex that would take RE2 long to compile is refused before compiling', () => {
    const result = compileFullMatcher('\\pL{300}');
    assert.equal(result.ok, false);
    assert.match(
      result.ok ? '' : result.reason,
      /^the regex would take too long to compile \(weight 750,000, at most 40,000\)/,
    );
  });

  test('the same thing with + is fine', () => {
    assert.equal(compileFullMatcher('\\pL+').ok, true);
    assert.equal(compileFullMatcher('\\pL{16}').ok, true);
    assert.ok(regexWeight('\\pL{16}') <= MAX_REGEX_WEIGHT);
  });

  test('as a parse error with line and column of the regex', () => {
    const error = parseErrorOf('.*/a\n.*[QueryParam::name==\\pL{1,100}]');
    assert.equal(error.line, 2);
    assert.equal(error.column, 22);
    assert.match(error.message, /the regex of \[QueryParam::name==…\]: the regex would take too long to compile/);
  });

  test('many acceptable regexes together are refused too', () => {
    // distinct regexes: the same regex twice in one rule set is compiled (and charged) once
    const text = Array.from({ length: 30 }, (_, i) => `.*/r${i}[QueryParam::q==${i}\\pL{15}]`).join('\n');
    const error = parseErrorOf(text);
    assert.equal(error.line, 2);
    assert.match(error.message, /the rules together would take too long to compile \(total weight over 50,000\)/);
  });

  test('1,000 realistic rules stay well inside the budget', () => {
    const line =
      '[GET|POST].*/rest/api/content/[0-9]+/child/(page|comment)[QueryParam::expand==(body\\.storage|history)(,(body\\.storage|history))*][JsonData::space.key==[A-Z][A-Z0-9]{1,9}]';
    const result = parseLimitTo(Array.from({ length: 1000 }, () => line).join('\n'));
    assert.equal(result.ok, true, result.ok ? '' : result.error.message);
  });
});
