import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type CompileResult, compileFullMatcher, type StrategyMatcher } from './full-matcher.js';

function matcher(pattern: string): StrategyMatcher {
  const result = compileFullMatcher(pattern);
  if (!result.ok) assert.fail(`${pattern}: ${result.reason}`);
  return result.matcher;
}

function problem(pattern: string): CompileResult & { ok: false } {
  const result = compileFullMatcher(pattern);
  if (result.ok) assert.fail(`${pattern} should not compile`);
  return result;
}

describe('compileFullMatcher: full-match semantics', () => {
  test('the whole input must match, not a part of it', () => {
    const m = matcher('/rest/api');
    assert.equal(m.test('/rest/api'), true);
    assert.equal(m.test('/rest/api/space'), false);
    assert.equal(m.test('x/rest/api'), false);
  });

  test('alternation is a full match for every branch', () => {
    const m = matcher('a|b');
    assert.equal(m.test('a'), true);
    assert.equal(m.test('b'), true);
    assert.equal(m.test('ab'), false);
    assert.equal(m.test('xa'), false);
    assert.equal(m.test('bx'), false);
  });

  test('an empty branch matches only the empty string', () => {
    const m = matcher('a|');
    assert.equal(m.test(''), true);
    assert.equal(m.test('a'), true);
    assert.equal(m.test('aa'), false);
  });

  test('user anchors are harmless', () => {
    assert.equal(matcher('^/a$').test('/a'), true);
    assert.equal(matcher('^/a$').test('/a\n'), false);
  });

  test('. does not match a line feed (RE2), but does match CR and other characters', () => {
    const m = matcher('.*');
    assert.equal(m.test('/a\n'), false);
    assert.equal(m.test('/a\r'), true);
    assert.equal(m.test('/é😀\u2028'), true);
  });

  test('(?s) lets . match a line feed', () => {
    assert.equal(matcher('(?s).*').test('a\nb'), true);
  });

  test('case-sensitive unless (?i)', () => {
    assert.equal(matcher('page').test('PAGE'), false);
    assert.equal(matcher('(?i)page').test('PAGE'), true);
  });

  test('character classes, counted repetition, named groups, \\d, \\pL', () => {
    assert.equal(matcher('[A-Z]{2,5}').test('PMX'), true);
    assert.equal(matcher('[A-Z]{2,5}').test('P'), false);
    assert.equal(matcher('(?P<id>\\d+)').test('123'), true);
    assert.equal(matcher('(?<id>\\d+)').test('12a'), false);
    assert.equal(matcher('\\pL+').test('Größe'), true);
  });

  test('keeps the source as written', () => {
    assert.equal(matcher('.*/rest/api/space.*').source, '.*/rest/api/space.*');
  });
});

describe('compileFullMatcher: refused syntax', () => {
  test('backreferences are refused with a reason, pointing at them', () => {
    const p = problem('(a+)\\1');
    assert.match(p.reason, /^backreference \\1 is not supported: rules use RE2 syntax/);
    assert.equal(p.offset, 4);
  });

  test('named backreferences are refused', () => {
    assert.match(problem('(?P<x>a)\\k<x>').reason, /named backreference \\k<…> is not supported/);
  });

  test('look-ahead and look-behind are refused with their names', () => {
    assert.match(problem('.*(?=/x)').reason, /^look-ahead \(\?=…\) is not supported/);
    assert.match(problem('.*(?!/x)').reason, /^negative look-ahead \(\?!…\) is not supported/);
    assert.match(problem('(?<=a)b').reason, /^look-behind \(\?<=…\) is not supported/);
    assert.match(problem('(?<!a)b').reason, /^negative look-behind \(\?<!…\) is not supported/);
    assert.equal(problem('.*(?=/x)').offset, 2);
  });

  test('possessive quantifiers are refused', () => {
    assert.match(problem('a++').reason, /possessive quantifiers/);
  });

  test('\\Q…\\E quoting is refused (the binding turns / inside it into \\/)', () => {
    const p = problem('.*\\Q/a.b\\E');
    assert.match(p.reason, /^\\Q…\\E quoting is not supported/);
    assert.equal(p.offset, 2);
    assert.equal(compileFullMatcher('\\\\Q').ok, true, 'an escaped backslash followed by Q is fine');
  });

  test('atomic groups are refused', () => {
    assert.match(problem('(?>a)').reason, /^atomic group/);
  });

  test('unbalanced parentheses cannot break out of the anchoring', () => {
    // `^(?:a)|(b)$` would compile and match "ab…"; the pattern alone is checked first.
    assert.match(problem('a)|(b').reason, /invalid regular expression \(unexpected \)/);
    assert.match(problem('(a').reason, /missing \)/);
  });

  test('other syntax errors say what RE2 said, at the right offset', () => {
    const p = problem('.*[A-Z');
    assert.equal(p.reason, 'invalid regular expression (missing ]: [A-Z)');
    assert.equal(p.offset, 2);
    assert.match(problem('a\\').reason, /ends with a lone \\/);
    assert.match(problem('a{1001}').reason, /invalid repetition size/);
  });

  test('at most 4,096 characters', () => {
    assert.equal(compileFullMatcher('a'.repeat(4096)).ok, true);
    assert.equal(problem('a'.repeat(4097)).reason, 'the regex is 4,097 characters long; at most 4,096 are allowed');
  });
});

describe('compileFullMatcher: strategies', () => {
  const cases: [string, string][] = [
    ['page', 'literal'],
    ['', 'literal'],
    ['\\.json', 'literal'],
    ['.*', 'glob'],
    ['.*/rest/api/space.*', 'glob'],
    ['PM.*', 'glob'],
    ['.*PM', 'glob'],
    ['.*?/a.*', 'glob'],
    ['.*/rest/api/content/?', 'glob'],
    ['pages?', 'glob'],
    ['.*/rest/api/(space|content)', 're2'],
    ['.*/a?b', 're2'],
    ['a|b', 're2'],
    ['(?i)page', 're2'],
    ['é', 're2'],
  ];
  for (const [pattern, strategy] of cases) {
    test(`${JSON.stringify(pattern)} is decided by ${strategy}`, () => {
      assert.equal(matcher(pattern).strategy, strategy);
    });
  }

  test('fastPaths: false always uses RE2', () => {
    const result = compileFullMatcher('page', { fastPaths: false });
    assert.equal(result.ok && result.matcher.strategy, 're2');
  });

  test('anyPrefix only for globs that start with .*', () => {
    assert.equal(matcher('.*/a').anyPrefix, true);
    assert.equal(matcher('.*/a/?').anyPrefix, true);
    assert.equal(matcher('/a.*').anyPrefix, false);
    assert.equal(matcher('/?').anyPrefix, false);
    assert.equal(matcher('.*\\b/a').anyPrefix, false);
  });

  test('globs agree with RE2 on tricky inputs', () => {
    const inputs = [
      '',
      'a',
      'aa',
      'ab',
      'aba',
      'abab',
      'ab\nab',
      'xaby',
      'ba',
      'aab',
      'abb',
      '\n',
      'b',
      'ab\n',
      'a\nb',
    ];
    const patterns = [
      'ab.*ba',
      '.*ab.*',
      'a.*b.*a',
      'ab',
      '.*',
      '.*.*',
      'a.*.*b',
      '.*a.*a.*',
      'a?',
      'ab?',
      'b??',
      '.*b?',
    ];
    for (const pattern of [...patterns, '.*a.*b?', 'a.*b?', '.*ab?', 'ab.*a?']) {
      const fast = matcher(pattern);
      const plain = compileFullMatcher(pattern, { fastPaths: false });
      assert.ok(plain.ok);
      for (const input of inputs) {
        assert.equal(fast.test(input), plain.matcher.test(input), `${pattern} on ${JSON.stringify(input)}`);
      }
    }
  });
});
