import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createSecretBox, SecretBoxError } from './secret-box.js';

const box = createSecretBox(randomBytes(32));

test('seal → open round trip; every seal uses a fresh IV', () => {
  const secret = 'tgp_abc123 ünïcödé';
  const a = box.seal(secret, 'id-1');
  const b = box.seal(secret, 'id-1');
  assert.match(a, /^v1\.[A-Za-z0-9_-]+$/);
  assert.notEqual(a, b);
  assert.equal(box.open(a, 'id-1'), secret);
  assert.equal(box.open(box.seal('')), '');
  assert.ok(!a.includes(Buffer.from(secret).toString('base64url').slice(0, 8)));
});

test('any changed byte is detected', () => {
  const sealed = box.seal('a secret worth keeping', 'id');
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  for (let i = 0; i < raw.length; i++) {
    const tampered = Buffer.from(raw);
    tampered[i] = (tampered[i] ?? 0) ^ 0x01;
    assert.throws(() => box.open(`v1.${tampered.toString('base64url')}`, 'id'), SecretBoxError, `byte ${i}`);
  }
});

test('another key, another context, a truncated or unknown format do not open', () => {
  const sealed = box.seal('secret', 'id-1');
  assert.throws(() => createSecretBox(randomBytes(32)).open(sealed, 'id-1'), SecretBoxError);
  assert.throws(() => box.open(sealed, 'id-2'), SecretBoxError);
  assert.throws(() => box.open(sealed.slice(0, 20), 'id-1'), SecretBoxError);
  assert.throws(() => box.open(`v2.${sealed.slice(3)}`, 'id-1'), /unknown sealed-secret format/);
});

test('the key must be 32 bytes', () => {
  assert.throws(() => createSecretBox(randomBytes(16)), /32 bytes/);
});
