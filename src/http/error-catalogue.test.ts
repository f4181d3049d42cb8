import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../testing/paths.js';
import { ERROR_CATALOGUE, ERROR_CODES, errorStatus, fixedMessage } from './error-catalogue.js';
import { errorBody, HttpError } from './http-error.js';

test('every code is snake_case with an error status', () => {
  for (const code of ERROR_CODES) {
    assert.match(code, /^[a-z]+(_[a-z]+)*$/);
    assert.ok(errorStatus(code) >= 400 && errorStatus(code) <= 599, code);
  }
});

test('the README error table lists exactly the catalogue: code, status, meaning', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \| (.+) \|$/gm)].map((m) => [m[1], Number(m[2]), m[3]]);
  const catalogue = Object.entries(ERROR_CATALOGUE).map(([code, entry]) => [code, entry.status, entry.meaning]);
  assert.deepEqual(rows, catalogue);
});

test('HttpError takes its status from the code and its message from the catalogue unless given one', () => {
  const fixed = new HttpError('too_many_failures');
  assert.equal(fixed.status, 429);
  assert.equal(fixed.message, 'too many failed authentication attempts; try again later');
  const built = new HttpError('token_not_found', 'no token with id "x"');
  assert.equal(built.status, 404);
  assert.equal(built.message, 'no token with id "x"');
  assert.throws(() => fixedMessage('invalid_input'), /no fixed message/);
});

test('the body is the one error shape, code before message', () => {
  assert.equal(errorBody('not_found', 'gone'), '{"status":"error","code":"not_found","message":"gone"}');
});
