/**
 * `GET /tokengate/api/session`: the page's first call says whether a session is open with a 200
 * either way (no 401 in the browser console before sign-in), and never says more than `me` does.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { basic } from '../testing/http.js';
import { PageClient } from '../testing/page-client.js';
import { DEFAULT_EXPIRING_DAYS } from './expiring-days.js';
import { ADMIN_PASSWORD, BOB_PASSWORD, type PageHarness, startPage } from './page.test-helpers.js';

interface SessionState {
  status: string;
  signedIn: boolean;
  message?: string | null;
  csrfToken?: string;
  user?: { username: string };
  expiringDays?: number;
}

describe('page session state', () => {
  let page: PageHarness;
  before(async () => {
    page = await startPage();
  });
  after(() => page.close());

  test('no session: 200 signed out, nothing about any user, and me is still 401', async () => {
    const response = await fetch(`${page.url}/tokengate/api/session`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok', signedIn: false, message: null });
    assert.equal((await fetch(`${page.url}/tokengate/api/me`)).status, 401);
  });

  test('a token, a password or a forged cookie never opens a session', async () => {
    const admin = (await page.services.users.get('admin'))!;
    const { secret } = await page.services.tokens.create({ label: 'x' }, admin);
    for (const authorization of [basic('admin', secret), `Bearer ${secret}`, basic('admin', ADMIN_PASSWORD)]) {
      const state = (await (
        await fetch(`${page.url}/tokengate/api/session`, { headers: { authorization } })
      ).json()) as SessionState;
      assert.equal(state.signedIn, false);
      assert.equal(state.csrfToken, undefined);
      assert.equal(state.user, undefined);
    }
    const forged = await fetch(`${page.url}/tokengate/api/session`, {
      headers: { cookie: 'tokengate_session=v1.forged.value' },
    });
    assert.equal(forged.status, 200);
    const state = (await forged.json()) as SessionState;
    assert.equal(state.signedIn, false);
    assert.equal(state.user, undefined);
  });

  test('signed in: the me answer with signedIn and the expiring window; a disabled user is signed out with the reason', async () => {
    const client = new PageClient(page.url);
    assert.equal((await client.signIn('bob', BOB_PASSWORD)).status, 200);
    const open = await client.json<SessionState>('GET', '/tokengate/api/session');
    assert.equal(open.status, 200);
    assert.equal(open.body.signedIn, true);
    assert.equal(open.body.user?.username, 'bob');
    assert.equal(open.body.csrfToken, client.csrf);
    assert.equal(open.body.expiringDays, DEFAULT_EXPIRING_DAYS);
    await page.services.users.disable('bob');
    const closed = await client.json<SessionState>('GET', '/tokengate/api/session');
    assert.equal(closed.status, 200);
    assert.equal(closed.body.signedIn, false);
    assert.match(closed.body.message ?? '', /disabled/);
    assert.equal(closed.body.user, undefined);
    await page.services.users.enable('bob');
  });
});

describe('page token list: expiry filters', () => {
  let page: PageHarness;
  before(async () => {
    page = await startPage();
  });
  after(() => page.close());

  test('expired and expiring (within the window) are filtered by the server, for admins and users alike', async () => {
    const admin = (await page.services.users.get('admin'))!;
    const bob = (await page.services.users.get('bob'))!;
    const make = (label: string, days: number, user = bob) =>
      page.services.tokens.create({ label, userName: user.username, daysUntilExpiry: days }, admin);
    await make('one day', 1);
    await make('three days', 3);
    await make('soon admin', 2, admin);
    await make('thirty days', 30);
    await make('never', 0);
    page.setNow(page.now() + 1.5 * 86_400_000);
    // now: "one day" has expired; "three days" and "soon admin" are within 7 days; "thirty days" is not
    const client = new PageClient(page.url);
    await client.signIn('admin', ADMIN_PASSWORD);
    const labels = async (who: PageClient, query: string) => {
      const { status, body } = await who.json<{ tokens: { label: string }[]; total: number; overall: number }>(
        'GET',
        `/tokengate/api/tokens?sort=label&${query}`,
      );
      assert.equal(status, 200, query);
      return { labels: body.tokens.map((t) => t.label), total: body.total, overall: body.overall };
    };
    assert.deepEqual(await labels(client, 'expiry=expired'), { labels: ['one day'], total: 1, overall: 5 });
    assert.deepEqual(await labels(client, 'expiry=expiring'), {
      labels: ['soon admin', 'three days'],
      total: 2,
      overall: 5,
    });
    assert.deepEqual((await labels(client, 'expiry=expiring&q=three')).labels, ['three days']);
    assert.equal((await labels(client, 'expiry=')).total, 5);
    const bobs = new PageClient(page.url);
    await bobs.signIn('bob', BOB_PASSWORD);
    assert.deepEqual((await labels(bobs, 'expiry=expiring')).labels, ['three days']);
    const refused = await client.json<{ message: string }>('GET', '/tokengate/api/tokens?expiry=soon');
    assert.equal(refused.status, 400);
    assert.match(refused.body.message, /expiry must be one of expired, expiring/);
  });
});
