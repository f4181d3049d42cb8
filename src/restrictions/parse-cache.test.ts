import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLimitToCached } from './parse-cache.js';

test('the same rule text is parsed once: the result is shared', () => {
  const text = '[GET].*/rest/api/space/[A-Z]+[QueryParam::expand==history]';
  const first = parseLimitToCached(text);
  assert.equal(first.ok, true);
  assert.equal(parseLimitToCached(text), first);
  assert.notEqual(parseLimitToCached(`${text}\n[POST].*/x`), first);
});

test('errors are remembered too (a refused text costs its compile once)', () => {
  const text = Array.from({ length: 80 }, (_, i) => `.*/r${i}/[a-z]{900}x${i}`).join('\n');
  const first = parseLimitToCached(text);
  assert.equal(first.ok, false);
  assert.match(first.ok ? '' : first.error.message, /too long to compile/);
  assert.equal(parseLimitToCached(text), first);
});
