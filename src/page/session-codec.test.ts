import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { openSession, type SessionData, sealSession } from './session-codec.js';

const DATA: SessionData = {
  username: 'alice|admin',
  issuedAt: 1_700_000_000_000,
  lastSeen: 1_700_000_060_000,
  csrf: 'c'.repeat(32),
  passwordTag: 'tag',
  epoch: 0,
};

describe('session codec', () => {
  test('round trip; every seal is different (random IV); the content is not readable', () => {
    const key = randomBytes(32);
    const a = sealSession(key, DATA);
    const b = sealSession(key, DATA);
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(openSession(key, a), DATA);
    assert.doesNotMatch(Buffer.from(a, 'base64url').toString('latin1'), /alice/);
  });

  test('another key, a changed byte, truncation or garbage: null', () => {
    const key = randomBytes(32);
    const sealed = sealSession(key, DATA);
    assert.equal(openSession(randomBytes(32), sealed), null);
    const raw = Buffer.from(sealed, 'base64url');
    for (let i = 0; i < raw.length; i += 7) {
      const changed = Buffer.from(raw);
      changed[i] = (changed[i] ?? 0) ^ 1;
      assert.equal(openSession(key, changed.toString('base64url')), null, `byte ${i}`);
    }
    assert.equal(openSession(key, sealed.slice(0, -4)), null);
    assert.equal(openSession(key, ''), null);
    assert.equal(openSession(key, 'not base64!'), null);
    assert.equal(openSession(key, 'A'.repeat(5000)), null);
  });
});
