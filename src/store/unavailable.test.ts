import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDatabaseUnavailable } from './unavailable.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

test('connection failures and shutdowns are "unavailable" (503, try again)', () => {
  assert.ok(isDatabaseUnavailable(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')));
  assert.ok(isDatabaseUnavailable(withCode('terminating connection due to administrator command', '57P01')));
  assert.ok(isDatabaseUnavailable(withCode('connection failure', '08006')));
  assert.ok(isDatabaseUnavailable(new Error('Connection terminated unexpectedly')));
  assert.ok(isDatabaseUnavailable(withCode('database is locked', 'SQLITE_BUSY')));
  assert.ok(isDatabaseUnavailable(new Error('query failed', { cause: withCode('reset', 'ECONNRESET') })));
});

test('query and programming errors are not', () => {
  assert.ok(!isDatabaseUnavailable(withCode('relation "x" does not exist', '42P01')));
  assert.ok(!isDatabaseUnavailable(withCode('duplicate key', '23505')));
  assert.ok(!isDatabaseUnavailable(new TypeError('x is undefined')));
  assert.ok(!isDatabaseUnavailable('ECONNREFUSED'));
});
