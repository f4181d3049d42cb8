import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createDigester } from './digest.js';

test('the digest is the hex HMAC-SHA-256 of the secret under the key', () => {
  const key = randomBytes(32);
  const digest = createDigester(key);
  assert.equal(digest('tgp_secret'), createHmac('sha256', key).update('tgp_secret').digest('hex'));
  assert.match(digest('x'), /^[0-9a-f]{64}$/);
  assert.equal(digest('same'), digest('same'));
  assert.notEqual(digest('same'), digest('Same'));
});

test('another key gives other digests; the key is copied', () => {
  const key = randomBytes(32);
  const digest = createDigester(key);
  const before = digest('secret');
  assert.notEqual(createDigester(randomBytes(32))('secret'), before);
  key.fill(0);
  assert.equal(digest('secret'), before);
});

test('a short key is refused', () => {
  assert.throws(() => createDigester(randomBytes(16)), /at least 32 bytes/);
});
