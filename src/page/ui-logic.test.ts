/** The page's pure browser-side logic, run under Node: formatting, routes, messages, the API client. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError, createApi } from './ui/api.js';
import { DAY_MS, expiryBadge, restrictionsSummary, ruleLines, sentence, timeAgo } from './ui/format.js';
import { addressOf, viewOf } from './ui/routes.js';
import { errorText } from './ui/rule-check.js';
import { fieldOfMessage } from './ui/server-messages.js';

const NOW = Date.UTC(2025, 0, 10, 12);

describe('page logic: expiry badges', () => {
  test('never, expired, warning from five days ahead, plain otherwise', () => {
    assert.deepEqual(expiryBadge(0, NOW), { kind: 'never', text: 'never expires', daysLeft: null });
    assert.equal(expiryBadge(NOW, NOW).kind, 'expired');
    assert.equal(expiryBadge(NOW - 1, NOW).text, 'expired');
    assert.deepEqual(expiryBadge(NOW + 2.5 * DAY_MS, NOW), { kind: 'warning', text: 'expires in 3 days', daysLeft: 3 });
    assert.equal(expiryBadge(NOW + 3_600_000, NOW).text, 'expires in 1 day');
    assert.equal(expiryBadge(NOW + 7 * DAY_MS, NOW).kind, 'warning');
    assert.deepEqual(expiryBadge(NOW + 7 * DAY_MS + 1, NOW), { kind: 'ok', text: 'expires in 8 days', daysLeft: 8 });
    // the server's window (me.expiringDays) moves the warning
    assert.equal(expiryBadge(NOW + 5 * DAY_MS + 1, NOW, 5).kind, 'ok');
    assert.equal(expiryBadge(NOW + 10 * DAY_MS, NOW, 14).kind, 'warning');
  });
});

describe('page logic: words', () => {
  test('restrictions summary and rule lines from the list view (`<br>`-joined)', () => {
    assert.equal(restrictionsSummary(''), 'unrestricted');
    assert.equal(restrictionsSummary('[GET].*'), '1 rule');
    assert.deepEqual(ruleLines('[GET].*/a<br>[POST].*/b'), ['[GET].*/a', '[POST].*/b']);
    assert.equal(restrictionsSummary('[GET].*/a<br>[POST].*/b'), '2 rules');
  });

  test('time ago', () => {
    assert.equal(timeAgo(0, NOW), 'never');
    assert.equal(timeAgo(NOW - 10_000, NOW), 'just now');
    assert.equal(timeAgo(NOW - 5 * 60_000, NOW), '5 minutes ago');
    assert.equal(timeAgo(NOW - 3 * DAY_MS, NOW), '3 days ago');
  });

  test('server messages become sentences, name their field, lose the engine prefix', () => {
    assert.equal(sentence('the username or the password is wrong'), 'The username or the password is wrong.');
    assert.equal(sentence('Done.'), 'Done.');
    assert.equal(fieldOfMessage('label is required: a name for the token (1-255 characters)'), 'label');
    assert.equal(fieldOfMessage('daysUntilExpiry must be at most 90 on this server (got 100)'), 'days');
    assert.equal(fieldOfMessage('tokens must expire on this server: set daysUntilExpiry from 1 to 90'), 'days');
    assert.equal(fieldOfMessage('limitTo: line 2, column 1: …'), 'limitTo');
    assert.equal(fieldOfMessage('user "zed" does not exist'), 'user');
    assert.equal(fieldOfMessage('the audit log cannot keep up'), 'form');
    assert.equal(
      errorText({ line: 2, column: 5, message: 'line 2, column 5: unknown part [Foo::x]' }),
      'unknown part [Foo::x]',
    );
  });
});

describe('page logic: routes', () => {
  test('views one level below the page root; addresses relative to it', () => {
    assert.equal(viewOf('/tokengate/', '/tokengate/'), 'tokens');
    assert.equal(viewOf('/tokengate/audit', '/tokengate/'), 'audit');
    assert.equal(viewOf('/tokengate/settings', '/tokengate/'), 'settings');
    assert.equal(viewOf('/tokengate/whatever', '/tokengate/'), 'tokens');
    assert.equal(
      addressOf('audit', 'https://g.example/p/tokengate/', { tokenId: 'abc', user: '' }),
      'https://g.example/p/tokengate/audit?tokenId=abc',
    );
    assert.equal(addressOf('tokens', 'https://g.example/tokengate/'), 'https://g.example/tokengate/');
  });
});

describe('page logic: API client', () => {
  test('sends the CSRF token on changes only, and JSON; reports 401 as signed out', async () => {
    const sent: { url: string; init: RequestInit }[] = [];
    let signedOut = '';
    const replies = [
      new Response(JSON.stringify({ status: 'ok', total: 0 }), { status: 200 }),
      new Response(JSON.stringify({ status: 'ok' }), { status: 200 }),
      new Response(JSON.stringify({ status: 'error', message: 'sign in first' }), { status: 401 }),
      new Response('<html>', { status: 502, statusText: 'Bad Gateway' }),
    ];
    const api = createApi({
      base: 'http://gate/tokengate/api/',
      csrf: () => 'csrf-123',
      onSignedOut: (message) => {
        signedOut = message;
      },
      fetch: async (input, init) => {
        sent.push({ url: String(input), init: init ?? {} });
        const reply = replies.shift();
        if (reply === undefined) throw new Error('no reply');
        return reply;
      },
    });
    await api.get('tokens', { q: 'ci', startAt: 0, sort: undefined, dir: '' });
    assert.equal(sent[0]?.url, 'http://gate/tokengate/api/tokens?q=ci&startAt=0');
    assert.equal(((sent[0]?.init.headers ?? {}) as Record<string, string>)['x-csrf-token'], undefined);
    await api.send('POST', 'tokenTools/set', { label: 'x' });
    const headers = (sent[1]?.init.headers ?? {}) as Record<string, string>;
    assert.equal(headers['x-csrf-token'], 'csrf-123');
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(sent[1]?.init.body, '{"label":"x"}');
    await assert.rejects(api.get('me'), (err: unknown) => err instanceof ApiError && err.status === 401);
    assert.equal(signedOut, 'sign in first');
    await assert.rejects(api.get('me'), /the server answered 502 Bad Gateway/);
    assert.equal(
      api.url('tokenTools/audit', { format: 'csv', from: 5 }),
      'http://gate/tokengate/api/tokenTools/audit?format=csv&from=5',
    );
  });
});
