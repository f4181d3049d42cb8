/**
 * authenticate() with the CredentialMemo: a repeated header skips decoding and the digest, and
 * that changes no decision — deleted tokens, disabled users, the accepted auth types and failed
 * guesses behave exactly as without it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TokenRecord, User } from '../store/models.js';
import type { Store } from '../store/store.js';
import { tokenRecord } from '../tokens/memory-store.test-helpers.js';
import { AuthCache } from './auth-cache.js';
import { type AuthenticateDeps, type AuthResult, authenticate, UNKNOWN_TOKEN } from './authenticate.js';
import { CredentialMemo } from './credentials.js';

const SECRET = 'tgp_memoSecret_0123456789abcdef';

function user(username: string, active = true): User {
  return {
    username,
    email: `${username}@example.com`,
    displayName: null,
    admin: false,
    active,
    passwordHash: null,
    dateCreated: 1,
  };
}

function basic(name: string, secret: string): string {
  return `Basic ${Buffer.from(`${name}:${secret}`).toString('base64')}`;
}

function setup() {
  const tokens = new Map<string, TokenRecord>([[`d:${SECRET}`, { ...tokenRecord('t1', null), user: 'Bob' }]]);
  const users = new Map<string, User>([['bob', user('Bob')]]);
  const store = {
    async findTokenByDigest(digest: string) {
      return tokens.get(digest);
    },
    async findUser(nameOrEmail: string) {
      return users.get(nameOrEmail.toLowerCase());
    },
  } as unknown as Store;
  const cache = new AuthCache({ store, maxEntries: 10 });
  let digests = 0;
  const deps: AuthenticateDeps = {
    cache,
    digest: (secret) => {
      digests++;
      return `d:${secret}`;
    },
    now: () => 1000,
    memo: new CredentialMemo(4),
  };
  return { deps, cache, tokens, users, digests: () => digests };
}

function ok(result: AuthResult): AuthResult & { ok: true } {
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result;
}

test('a repeated header is decoded and digested once; the result is the same', async () => {
  const { deps, digests } = setup();
  const header = basic('bob', SECRET);
  const first = ok(await authenticate(header, 'basic', deps));
  const second = ok(await authenticate(header, 'basic', deps));
  assert.equal(digests(), 1);
  assert.deepEqual(second, first);
  assert.equal(second.secret, SECRET);
  assert.equal(second.user.username, 'Bob');
});

test('failed attempts are not remembered', async () => {
  const { deps, digests } = setup();
  const wrong = basic('bob', 'tgp_wrongwrongwrongwrong');
  for (let i = 0; i < 3; i++) {
    const result = await authenticate(wrong, 'basic', deps);
    assert.equal(result.ok, false);
    assert.equal(result.ok ? '' : result.reason, UNKNOWN_TOKEN);
  }
  assert.equal(digests(), 3);
});

test('a remembered header of a deleted token is refused at once', async () => {
  const { deps, cache, tokens } = setup();
  const header = basic('bob', SECRET);
  ok(await authenticate(header, 'basic', deps));
  tokens.clear();
  cache.apply({ seq: 1, kind: 'token', key: `d:${SECRET}` });
  const result = await authenticate(header, 'basic', deps);
  assert.equal(result.ok, false);
  assert.equal(result.ok ? '' : result.reason, UNKNOWN_TOKEN);
});

test('a remembered header of a disabled user is refused', async () => {
  const { deps, cache, users } = setup();
  const header = basic('bob', SECRET);
  ok(await authenticate(header, 'basic', deps));
  users.set('bob', user('Bob', false));
  cache.apply({ seq: 1, kind: 'user', key: 'bob' });
  const result = await authenticate(header, 'basic', deps);
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.reason, /disabled/);
});

test('the accepted auth type is checked on every call, remembered or not', async () => {
  const { deps } = setup();
  const header = `Bearer ${SECRET}`;
  ok(await authenticate(header, 'both', deps));
  const refused = await authenticate(header, 'basic', deps);
  assert.equal(refused.ok, false);
  assert.match(refused.ok ? '' : refused.reason, /Bearer authentication is not accepted/);
});

test('another user name with the same secret is its own header: checked, not taken from the memo', async () => {
  const { deps, users } = setup();
  users.set('eve', user('Eve'));
  ok(await authenticate(basic('bob', SECRET), 'basic', deps));
  const other = await authenticate(basic('eve', SECRET), 'basic', deps);
  assert.equal(other.ok, false, 'a token bound to Bob does not work for Eve');
});

test('CredentialMemo keeps at most two generations and forgets the oldest', () => {
  const memo = new CredentialMemo(2);
  const entry = (secret: string) => ({ credentials: { scheme: 'bearer' as const, secret }, digest: `d:${secret}` });
  memo.remember('a', entry('a'));
  memo.remember('b', entry('b'));
  memo.remember('c', entry('c')); // a, b become the previous generation
  assert.equal(memo.get('a')?.digest, 'd:a'); // moved back into the current one (with c)
  memo.remember('d', entry('d')); // current full (c, a): they become previous; b is forgotten
  assert.equal(memo.get('b'), undefined);
  assert.equal(memo.get('c')?.digest, 'd:c');
  assert.equal(memo.get('d')?.digest, 'd:d');
  memo.remember('x'.repeat(2000), entry('long'));
  assert.equal(memo.get('x'.repeat(2000)), undefined, 'overlong header values are not kept');
});
