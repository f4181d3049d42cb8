import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileFullMatcher } from './full-matcher.js';
import { patternExamples } from './pattern-example.js';

function matcher(source: string) {
  const compiled = compileFullMatcher(source);
  assert.ok(compiled.ok, `${source} compiles`);
  return compiled.matcher;
}

describe('patternExamples', () => {
  test('a glob gives its literals with empty gaps first', () => {
    assert.deepEqual(patternExamples('.*\\/rest/api/space.*')[0], '/rest/api/space');
    assert.deepEqual(patternExamples('/rest/api/content/?')[0], '/rest/api/content');
  });

  test('the first example of each pattern fully matches it (RE2 decides)', () => {
    const patterns = [
      '/rest/api/content/\\d+',
      '.*/rest/api/(space|content).*',
      '/rest/api/space/[A-Z]{2,5}/content',
      '/rest/api/(?:page|blog)post/[^/]+',
      '/rest/api/(?P<key>[a-z]+)',
      '[^x]+',
      '\\x41b[[:digit:]]',
      '[\\w.-]+@example\\.com',
      'v\\d{1,}',
      '^/rest/api/\\bspace$',
      'a{',
    ];
    for (const source of patterns) {
      const examples = patternExamples(source);
      assert.ok(examples.length > 0, source);
      assert.ok(matcher(source).test(examples[0] as string), `${source} matches ${examples[0]}`);
    }
  });

  test('a `*` in the middle of a path also comes taken once (the shortest would have //)', () => {
    const examples = patternExamples('/rest/api/.*/child');
    assert.deepEqual(examples, ['/rest/api//child', '/rest/api/a/child']);
  });

  test('what the walk does not understand gives no example, never a wrong one silently', () => {
    assert.deepEqual(patternExamples('(?i)/rest/.*'), []);
    assert.deepEqual(patternExamples('\\pL+'), []);
    assert.deepEqual(patternExamples('[^\\x00-\\x{10FFFF}]'), []);
  });
});
