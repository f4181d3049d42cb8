import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newTokenId } from './token-id.js';

test('token ids are 22 base64url characters, unique, and never start like a command-line option', () => {
  const ids = Array.from({ length: 5000 }, newTokenId);
  for (const id of ids) assert.match(id, /^[0-9A-Za-z][0-9A-Za-z_-]{21}$/);
  assert.equal(new Set(ids).size, ids.length);
});
