import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapedTarget } from './gateway.js';

test('a refused raw target is stored escaped and truncated, its query apart (for redaction)', () => {
  assert.deepEqual(escapedTarget('/rest/api/..;/admin?x=1'), { path: '/rest/api/..;/admin', query: 'x=1' });
  assert.deepEqual(escapedTarget('/rest/a\u0001b c\u00e9'), { path: '/rest/a%01b%20c%E9', query: '' });
  const long = escapedTarget(`/rest/${'x'.repeat(2000)}`);
  assert.equal(long.path.length, 513);
  assert.ok(long.path.endsWith('…'));
});
