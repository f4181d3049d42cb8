import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate } from './evaluate.js';
import { compileFullMatcher } from './full-matcher.js';
import { parseLimitTo } from './parse.js';
import { facts, mustParse } from './restrictions.test-helpers.js';

/**
 * Patterns that make backtracking engines take exponential time. With RE2 they finish (linear
 * time); these tests assert completion and the right answer, not a time.
 */
const EVIL: readonly (readonly [string, string, boolean])[] = [
  ['(a+)+$', `${'a'.repeat(100_000)}!`, false],
  ['(a+)+$', 'a'.repeat(100_000), true],
  ['(x+x+)+y', 'x'.repeat(100_000), false],
  ['(a|aa)+', `${'a'.repeat(100_000)}b`, false],
  ['(a|a?)+b', 'a'.repeat(100_000), false],
  ['(.*a){20}', 'a'.repeat(100_000), true],
  ['(\\w+\\s?)*$', `${'word '.repeat(20_000)}!`, false],
  ['^(([a-z])+.)+[A-Z]([a-z])+$', 'a'.repeat(100_000), false],
  ['.*.*.*.*.*.*=.*', 'x'.repeat(100_000), false],
];

describe('ReDoS: evil patterns on 100k-character inputs finish', () => {
  for (const [pattern, input, expected] of EVIL) {
    test(`${pattern} on ${input.length.toLocaleString('en')} characters`, () => {
      const result = compileFullMatcher(pattern);
      assert.ok(result.ok, pattern);
      assert.equal(result.matcher.test(input), expected);
    });
  }

  test('in every part of a rule: URL, query value, JSON value', () => {
    const ruleSet = mustParse('(/a+)+$[QueryParam::q==(x+x+)+y][JsonData::t==(a|aa)+]');
    const long = 'x'.repeat(100_000);
    const request = facts('POST', `/${'a'.repeat(100_000)}`, {
      query: { q: long },
      body: { t: `${'a'.repeat(100_000)}b` },
    });
    const verdict = evaluate(ruleSet, request);
    assert.equal(verdict.allowed, false);
  });

  test('fast paths stay linear on long inputs', () => {
    const result = compileFullMatcher('.*aaaaaaaaab.*aaaaaaaaab.*');
    assert.ok(result.ok);
    assert.equal(result.matcher.strategy, 'glob');
    assert.equal(result.matcher.test('a'.repeat(100_000)), false);
  });
});

describe('the parser finishes on pathological 64 KB texts', () => {
  const K64 = 65_536;
  const texts: [string, string][] = [
    ['[[: repeated (POSIX class never closed)', `.*[QueryParam::a==[${'[:'.repeat(K64 / 2)}]`],
    ['[Word: repeated', `.*${'[abcd:'.repeat(K64 / 6)}`],
    ['<br without > repeated', '<br '.repeat(K64 / 4)],
    ['[ repeated', '['.repeat(K64)],
    ['backslashes', '\\'.repeat(K64)],
    ['one long word part', `.*[${'Q'.repeat(K64)}::a==b]`],
    ['many parts', `.*${'[QueryParam::a==b]'.repeat(K64 / 18)}`],
    ['many unclosed classes in a part', `.*[QueryParam::a==${'[a'.repeat(K64 / 2)}`],
    ['many == without parts', `.*${'=='.repeat(K64 / 2)}`],
    ['many lines', '.*/a\n'.repeat(K64 / 5)],
  ];
  for (const [name, text] of texts) {
    test(name, () => {
      const result = parseLimitTo(text);
      assert.equal(typeof result.ok, 'boolean');
    });
  }
});
