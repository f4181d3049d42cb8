import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyTokenQuery, type ListedToken, parseTokenQuery } from './token-query.js';

function token(id: string, fields: Partial<ListedToken> = {}): ListedToken {
  return {
    id,
    label: id,
    user: null,
    author: 'admin',
    userKey: null,
    authorKey: 'admin',
    limitTo: '',
    dateCreated: 0,
    validUntil: 0,
    expired: false,
    counter: 0,
    ip: null,
    lastUsed: 0,
    rateLimit: null,
    quota: null,
    quotaRemaining: null,
    allowedIps: '',
    ...fields,
  };
}

function q(entries: Record<string, string>) {
  return parseTokenQuery(new Map(Object.entries(entries).map(([k, v]) => [k, [v]])));
}

describe('token query', () => {
  test('defaults: newest first, 25 a page', () => {
    assert.deepEqual(q({}), {
      search: '',
      sort: 'created',
      descending: true,
      expiry: null,
      startAt: 0,
      maxResults: 25,
    });
    assert.equal(q({ sort: 'label' }).descending, false);
  });

  test('refuses unknown sorts, directions and bad numbers in words', () => {
    assert.throws(() => q({ sort: 'token' }), /sort must be one of/);
    assert.throws(() => q({ dir: 'up' }), /dir must be asc or desc/);
    assert.throws(() => q({ maxResults: '0' }), /between 1 and 200/);
    assert.throws(() => q({ startAt: '-1' }), /whole number/);
    assert.throws(() => q({ q: 'x'.repeat(201) }), /at most 200/);
    assert.throws(() => q({ expiry: 'soon' }), /expiry must be one of expired, expiring/);
  });

  test('searches label, user and display name, case-insensitively', () => {
    const all = [
      token('a', { label: 'CI deploy' }),
      token('b', { user: 'Ansible' }),
      token('c', { user: 'carol', userDisplayName: 'Carol Ansible-Fan' }),
      token('d'),
    ];
    assert.deepEqual(
      applyTokenQuery(all, q({ q: 'ansible', sort: 'label' })).tokens.map((t) => t.id),
      ['b', 'c'],
    );
    assert.equal(applyTokenQuery(all, q({ q: 'deploy' })).total, 1);
  });

  test('sorts by expiry with never-expiring last, by calls, and pages', () => {
    const all = [
      token('never', { validUntil: 0, dateCreated: 3 }),
      token('soon', { validUntil: 100, counter: 5, dateCreated: 2 }),
      token('later', { validUntil: 200, counter: 1, dateCreated: 1 }),
    ];
    assert.deepEqual(
      applyTokenQuery(all, q({ sort: 'expiry' })).tokens.map((t) => t.id),
      ['soon', 'later', 'never'],
    );
    assert.deepEqual(
      applyTokenQuery(all, q({ sort: 'calls', dir: 'desc' })).tokens.map((t) => t.id),
      ['soon', 'later', 'never'],
    );
    const page = applyTokenQuery(all, q({ startAt: '1', maxResults: '1' }));
    assert.deepEqual([page.total, page.tokens.map((t) => t.id)], [3, ['soon']]);
  });

  test('expiry filters: expired is up to now, expiring is after now and within the window', () => {
    const day = 86_400_000;
    const now = 100 * day;
    const all = [
      token('never', { validUntil: 0 }),
      token('expired long ago', { validUntil: day }),
      token('expires exactly now', { validUntil: now }),
      token('in a minute', { validUntil: now + 60_000 }),
      token('in exactly 7 days', { validUntil: now + 7 * day }),
      token('in 8 days', { validUntil: now + 8 * day }),
    ];
    const window = { now, expiringDays: 7 };
    const ids = (expiry: string) =>
      applyTokenQuery(all, q({ expiry, sort: 'expiry' }), window)
        .tokens.map((t) => t.id)
        .sort();
    assert.deepEqual(ids('expired'), ['expired long ago', 'expires exactly now']);
    assert.deepEqual(ids('expiring'), ['in a minute', 'in exactly 7 days']);
    assert.equal(applyTokenQuery(all, q({}), window).total, 6);
    assert.throws(() => applyTokenQuery(all, q({ expiry: 'expired' })), /needs a time window/);
  });
});
