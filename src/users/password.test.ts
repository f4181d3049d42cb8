import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, MIN_PASSWORD_LENGTH, validatePassword, verifyPassword } from './password.js';

test('hash format scrypt$N$r$p$salt$hash; a random salt each time; verify accepts only the password', async () => {
  const a = await hashPassword('correct horse battery');
  const b = await hashPassword('correct horse battery');
  assert.match(a, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.notEqual(a, b);
  assert.equal(await verifyPassword('correct horse battery', a), true);
  assert.equal(await verifyPassword('correct horse batterY', a), false);
  assert.equal(await verifyPassword('', a), false);
});

test('malformed or hostile stored hashes verify as false, without throwing', async () => {
  for (const stored of [
    '',
    'plain',
    'scrypt$1$8$1$c2FsdA==$aGFzaA==',
    'scrypt$99999999$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    'bcrypt$x',
  ]) {
    assert.equal(await verifyPassword('whatever-password', stored), false, stored);
  }
});

test('passwords must have at least 8 characters', () => {
  assert.equal(MIN_PASSWORD_LENGTH, 8);
  assert.match(validatePassword('1234567') ?? '', /at least 8/);
  assert.equal(validatePassword('12345678'), null);
  assert.match(validatePassword('x'.repeat(1025)) ?? '', /at most/);
});
