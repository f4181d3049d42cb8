import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readCookie, serializeCookie } from './cookies.js';

describe('cookies', () => {
  test('reads one cookie among several; first one wins; absent is undefined', () => {
    assert.equal(readCookie('a=1; tokengate_session=xyz; b=2', 'tokengate_session'), 'xyz');
    assert.equal(readCookie('tokengate_session="q"', 'tokengate_session'), 'q');
    assert.equal(readCookie('tokengate_session=1; tokengate_session=2', 'tokengate_session'), '1');
    assert.equal(readCookie('other=1', 'tokengate_session'), undefined);
    assert.equal(readCookie(undefined, 'tokengate_session'), undefined);
  });

  test('always HttpOnly and SameSite=Strict; Secure when asked; refuses unsafe values', () => {
    assert.equal(
      serializeCookie('s', 'abc', { path: '/tokengate', maxAge: 1800, secure: false }),
      's=abc; Path=/tokengate; Max-Age=1800; HttpOnly; SameSite=Strict',
    );
    assert.equal(
      serializeCookie('s', '', { path: '/', maxAge: 0, secure: true }),
      's=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure',
    );
    assert.throws(() => serializeCookie('s', 'a;b', { path: '/', secure: false }));
    assert.throws(() => serializeCookie('s=', 'a', { path: '/', secure: false }));
  });
});
