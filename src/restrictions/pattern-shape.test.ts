import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analysePattern } from './pattern-shape.js';

describe('analysePattern', () => {
  test('literals and .* make a glob', () => {
    const glob = (segments: string[], optionalLast: string | null = null) => ({ kind: 'glob', segments, optionalLast });
    assert.deepEqual(analysePattern('.*/rest/api/space.*'), glob(['', '/rest/api/space', '']));
    assert.deepEqual(analysePattern('PM.*'), glob(['PM', '']));
    assert.deepEqual(analysePattern('page'), glob(['page']));
    assert.deepEqual(analysePattern('a\\.b\\/c'), glob(['a.b/c']));
    assert.deepEqual(analysePattern('.*/rest/api/content/?'), glob(['', '/rest/api/content'], '/'));
    assert.deepEqual(analysePattern('pages??'), glob(['page'], 's'));
  });

  test('a quantified literal is not required', () => {
    assert.deepEqual(analysePattern('.*/a/?b'), { kind: 'other', prefix: '', suffix: 'b', required: ['/a', 'b'] });
    assert.deepEqual(analysePattern('abc+d'), { kind: 'other', prefix: 'ab', suffix: 'd', required: ['ab', 'd'] });
  });

  test('groups and classes are opaque, including brackets and parentheses inside them', () => {
    assert.deepEqual(analysePattern('/a/[])(]x(b|[)])c'), {
      kind: 'other',
      prefix: '/a/',
      suffix: 'c',
      required: ['/a/', 'x', 'c'],
    });
    assert.deepEqual(analysePattern('[[:alpha:]]]z'), { kind: 'other', prefix: '', suffix: 'z', required: ['z'] });
  });

  const unknown = { kind: 'other', prefix: '', suffix: '', required: [] };
  for (const pattern of [
    'a|b',
    '(?i)abc',
    'ab{2}',
    'a{,3}',
    '\\x41b',
    '\\pLb',
    '\\Qa\\E',
    '(?s).*a',
    '\\cAb',
    '\\012',
    'a}',
  ]) {
    test(`gives up on ${JSON.stringify(pattern)}`, () => {
      assert.deepEqual(analysePattern(pattern), unknown);
    });
  }

  test('non-ASCII characters are opaque (never literal runs)', () => {
    assert.deepEqual(analysePattern('ab😀?c'), { kind: 'other', prefix: 'ab', suffix: 'c', required: ['ab', 'c'] });
  });
});
