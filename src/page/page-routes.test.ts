import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { basic, rawGet } from '../testing/http.js';
import { PageClient } from '../testing/page-client.js';
import { ADMIN_PASSWORD, BOB_PASSWORD, type PageHarness, startPage } from './page.test-helpers.js';
import { PAGE_CSP } from './security-headers.js';

interface TokenList {
  total: number;
  overall: number;
  tokens: { id: string; label: string; user: string | null; token?: string }[];
}

describe('page routes: static files and headers', () => {
  let page: PageHarness;
  before(async () => {
    page = await startPage();
  });
  after(() => page.close());

  test('every page response carries the security headers', async () => {
    for (const path of [
      '/tokengate/',
      '/tokengate/api/me',
      '/tokengate/assets/app-abc123.js',
      '/tokengate/nope/deeper',
    ]) {
      const response = await fetch(page.url + path);
      assert.equal(response.headers.get('content-security-policy'), PAGE_CSP, path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', path);
      assert.equal(response.headers.get('x-frame-options'), 'DENY', path);
    }
    assert.match(PAGE_CSP, /default-src 'self'/);
    assert.doesNotMatch(PAGE_CSP, /unsafe-inline|unsafe-eval/);
  });

  test('/tokengate redirects to /tokengate/', async () => {
    const response = await fetch(`${page.url}/tokengate`, { redirect: 'manual' });
    assert.equal(response.status, 308);
    assert.equal(new URL(response.headers.get('location') ?? '', `${page.url}/tokengate`).pathname, '/tokengate/');
  });

  test('index.html is revalidated, hashed assets are immutable, app views fall back to index.html', async () => {
    const index = await fetch(`${page.url}/tokengate/`);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    assert.match(index.headers.get('content-type') ?? '', /text\/html/);
    const view = await fetch(`${page.url}/tokengate/audit`);
    assert.equal(await view.text(), await (await fetch(`${page.url}/tokengate/`)).text());
    const asset = await fetch(`${page.url}/tokengate/assets/app-abc123.js`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    assert.match(asset.headers.get('content-type') ?? '', /javascript/);
    const again = await fetch(`${page.url}/tokengate/assets/app-abc123.js`, {
      headers: { 'if-none-match': asset.headers.get('etag') ?? '' },
    });
    assert.equal(again.status, 304);
    assert.equal((await fetch(`${page.url}/tokengate/favicon.svg`)).status, 200);
  });

  test('missing assets, hidden files and deep paths are 404, not the app', async () => {
    assert.equal((await fetch(`${page.url}/tokengate/assets/missing.js`)).status, 404);
    assert.equal((await fetch(`${page.url}/tokengate/assets/.env`)).status, 404);
    assert.equal((await fetch(`${page.url}/tokengate/missing.png`)).status, 404);
    assert.equal((await fetch(`${page.url}/tokengate/a/b`)).status, 404);
    for (const raw of [
      '/tokengate/assets/%2e%2e/index.html',
      '/tokengate/assets/..%2fx.js',
      '/tokengate/../tokengate/',
    ]) {
      assert.equal((await rawGet(page.url, raw)).status, 400, raw);
    }
    assert.equal((await fetch(`${page.url}/tokengate/`, { method: 'POST' })).status, 405);
  });

  test('paths outside /tokengate are not the page', async () => {
    assert.equal((await fetch(`${page.url}/tokengatex`)).status, 404);
    assert.equal(
      await (await fetch(`${page.url}/tokengatex`)).text(),
      '{"status":"error","code":"not_found","message":"not found"}',
    );
  });
});

describe('page routes: sign-in, sessions, CSRF', () => {
  let page: PageHarness;
  before(async () => {
    page = await startPage({ config: { auth: { failureLimit: 3, failureWindowMs: 60_000, cacheSize: 100 } } });
  });
  after(() => page.close());

  test('no session: 401; a token or password in Authorization never opens the page', async () => {
    const plain = await fetch(`${page.url}/tokengate/api/me`);
    assert.equal(plain.status, 401);
    assert.equal(((await plain.json()) as { message: string }).message, 'sign in first');
    const { secret } = await page.services.tokens.create({ label: 'x' }, (await page.services.users.get('admin'))!);
    for (const authorization of [basic('admin', secret), `Bearer ${secret}`, basic('admin', ADMIN_PASSWORD)]) {
      const response = await fetch(`${page.url}/tokengate/api/me`, { headers: { authorization } });
      assert.equal(response.status, 401);
      assert.match(((await response.json()) as { message: string }).message, /does not accept tokens/);
    }
  });

  test('sign-in sets an HttpOnly SameSite=Strict cookie limited to /tokengate; wrong password is refused in words', async () => {
    const client = new PageClient(page.url);
    const wrong = await client.signIn('admin', 'not the password');
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { message: string }).message, 'the username or the password is wrong');
    const unknown = await client.signIn('nobody', 'whatever123');
    assert.equal(unknown.status, 401);

    const raw = await fetch(`${page.url}/tokengate/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: page.url },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    assert.equal(raw.status, 200);
    const cookie = raw.headers.get('set-cookie') ?? '';
    assert.match(
      cookie,
      /^tokengate_session=[A-Za-z0-9_-]+; Path=\/tokengate; Max-Age=1800; HttpOnly; SameSite=Strict$/,
    );
    const me = (await raw.json()) as { user: { username: string; admin: boolean }; csrfToken: string };
    assert.equal(me.user.username, 'admin');
    assert.equal(me.user.admin, true);
    assert.ok(me.csrfToken.length >= 20);
    assert.ok(
      page.actions.some(
        (a) => a.action === 'signed in to the page' && a.authMethod === 'session' && a.actor === 'admin',
      ),
    );
  });

  test('changes need the CSRF token and a same-origin request', async () => {
    const client = new PageClient(page.url);
    assert.equal((await client.signIn('admin', ADMIN_PASSWORD)).status, 200);
    const create = { label: 'csrf test' };
    const noToken = await client.request('POST', '/tokengate/api/tokenTools/set', create, { csrf: false });
    assert.equal(noToken.status, 403);
    assert.match(((await noToken.json()) as { message: string }).message, /CSRF token/);
    const wrongToken = await client.request('POST', '/tokengate/api/tokenTools/set', create, {
      csrf: false,
      headers: { 'x-csrf-token': 'x'.repeat(32) },
    });
    assert.equal(wrongToken.status, 403);
    const crossOrigin = await client.request('POST', '/tokengate/api/tokenTools/set', create, {
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(crossOrigin.status, 403);
    assert.match(((await crossOrigin.json()) as { message: string }).message, /cross-origin/);
    const crossSite = await client.request('POST', '/tokengate/api/tokenTools/set', create, {
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(crossSite.status, 403);
    const crossSignIn = await fetch(`${page.url}/tokengate/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    assert.equal(crossSignIn.status, 403);
    assert.equal((await page.services.store.listTokens()).filter((t) => t.label === 'csrf test').length, 0);
    const ok = await client.request('POST', '/tokengate/api/tokenTools/set', create);
    assert.equal(ok.status, 200);
  });

  test('sign-out ends the session (also a copy of the cookie) and clears the cookie', async () => {
    const client = new PageClient(page.url);
    await client.signIn('bob', BOB_PASSWORD);
    const copy = client.cookie;
    const out = await client.request('DELETE', '/tokengate/api/session');
    assert.equal(out.status, 200);
    assert.equal(client.cookie, '');
    const replay = await fetch(`${page.url}/tokengate/api/me`, { headers: { cookie: copy } });
    assert.equal(replay.status, 401);
    assert.match(((await replay.json()) as { message: string }).message, /signed out/);
  });

  test('a disabled user is signed out at once; a new password ends older sessions', async () => {
    const client = new PageClient(page.url);
    await client.signIn('bob', BOB_PASSWORD);
    assert.equal((await client.request('GET', '/tokengate/api/me')).status, 200);
    await page.services.users.disable('bob');
    const disabled = await client.request('GET', '/tokengate/api/me');
    assert.equal(disabled.status, 401);
    assert.match(((await disabled.json()) as { message: string }).message, /disabled/);
    await page.services.users.enable('bob');
    assert.equal((await client.signIn('bob', BOB_PASSWORD)).status, 200);
    await page.services.users.setPassword('bob', 'a brand new password');
    assert.equal((await client.request('GET', '/tokengate/api/me')).status, 401);
    await page.services.users.setPassword('bob', BOB_PASSWORD);
  });

  test('idle timeout, renewal on activity, absolute lifetime', async () => {
    const start = page.now();
    const client = new PageClient(page.url);
    await client.signIn('admin', ADMIN_PASSWORD);
    const first = client.cookie;
    page.setNow(start + 20 * 60_000);
    const active = await client.request('GET', '/tokengate/api/me');
    assert.equal(active.status, 200);
    assert.notEqual(client.cookie, first, 'activity renews the cookie');
    page.setNow(start + 45 * 60_000);
    assert.equal((await client.request('GET', '/tokengate/api/me')).status, 200, 'renewed: not idle yet');
    const stale = await fetch(`${page.url}/tokengate/api/me`, { headers: { cookie: first } });
    assert.equal(stale.status, 401, 'the old cookie has been idle 45 minutes');
    assert.match(((await stale.json()) as { message: string }).message, /without activity/);
    for (let t = 70; t < 12 * 60; t += 25) {
      page.setNow(start + t * 60_000);
      assert.equal((await client.request('GET', '/tokengate/api/me')).status, 200, `minute ${t}`);
    }
    page.setNow(start + 12 * 60 * 60_000);
    const expired = await client.request('GET', '/tokengate/api/me');
    assert.equal(expired.status, 401);
    assert.match(((await expired.json()) as { message: string }).message, /maximum length/);
    page.setNow(start);
  });

  test('forged or tampered cookies are refused', async () => {
    const client = new PageClient(page.url);
    await client.signIn('admin', ADMIN_PASSWORD);
    const [name, value = ''] = client.cookie.split('=');
    const flipped = value.slice(0, 10) + (value[10] === 'A' ? 'B' : 'A') + value.slice(11);
    for (const forged of [`${name}=${flipped}`, `${name}=admin`, `${name}=${'A'.repeat(5000)}`]) {
      assert.equal((await fetch(`${page.url}/tokengate/api/me`, { headers: { cookie: forged } })).status, 401);
    }
  });

  test('failed sign-ins from one address are limited (429) through the shared store', async () => {
    const client = new PageClient(page.url);
    let last = 0;
    for (let i = 0; i < 5; i++) last = (await client.signIn('admin', `wrong-${i}-password`)).status;
    assert.equal(last, 429);
    const blocked = await client.signIn('admin', ADMIN_PASSWORD);
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    page.setNow(page.now() + 120_000);
    assert.equal((await client.signIn('admin', ADMIN_PASSWORD)).status, 200);
  });
});

describe('page routes: tokens through the tokenTools endpoints', () => {
  let page: PageHarness;
  let admin: PageClient;
  let bob: PageClient;
  before(async () => {
    page = await startPage();
    admin = new PageClient(page.url);
    bob = new PageClient(page.url);
    await admin.signIn('admin', ADMIN_PASSWORD);
    await bob.signIn('bob', BOB_PASSWORD);
  });
  after(() => page.close());

  test('create, list without secrets, reveal (admins, standard mode), delete', async () => {
    const created = await admin.json<{ id: string; token: string; label: string }>(
      'POST',
      '/tokengate/api/tokenTools/set',
      {
        label: 'deploy',
        userName: 'bob',
        daysUntilExpiry: 3,
        limitTo: '[GET].*/rest/api/space.*',
      },
    );
    assert.equal(created.status, 200);
    assert.match(created.body.token, /^\S{20,}$/);
    const list = await admin.json<TokenList>('GET', '/tokengate/api/tokens?q=DEPLOY');
    assert.equal(list.body.total, 1);
    assert.equal(list.body.tokens[0]?.label, 'deploy');
    assert.equal(list.body.tokens[0]?.token, undefined, 'never a secret in the list');
    assert.doesNotMatch(JSON.stringify(list.body), new RegExp(created.body.token));
    const revealed = await admin.json<{ token: string }>('POST', '/tokengate/api/tokens/reveal', {
      id: created.body.id,
    });
    assert.equal(revealed.body.token, created.body.token);
    const bobReveal = await bob.json('POST', '/tokengate/api/tokens/reveal', { id: created.body.id });
    assert.equal(bobReveal.status, 403);
    const recorded = page.actions.filter((a) => a.tokenId === created.body.id).map((a) => a.action);
    assert.deepEqual(recorded, ['token created for bob', 'token secret shown again on the page']);
    assert.ok(page.actions.every((a) => a.authMethod === 'session'));
    const removed = await admin.json('DELETE', '/tokengate/api/tokenTools/delete', { id: created.body.id });
    assert.equal(removed.status, 200);
    assert.equal((await admin.json<TokenList>('GET', '/tokengate/api/tokens?q=deploy')).body.total, 0);
  });

  test('non-admins see and make only their own tokens, cannot list users or change settings', async () => {
    await admin.json('POST', '/tokengate/api/tokenTools/set', { label: 'admin only', userName: 'admin' });
    const mine = await bob.json<{ user: string }>('POST', '/tokengate/api/tokenTools/set', { label: 'bob script' });
    assert.equal(mine.body.user, 'bob');
    const other = await bob.json<{ message: string }>('POST', '/tokengate/api/tokenTools/set', {
      label: 'x',
      userName: 'admin',
    });
    assert.equal(other.status, 403);
    const list = await bob.json<TokenList>('GET', '/tokengate/api/tokens');
    assert.ok(list.body.tokens.length > 0);
    assert.ok(list.body.tokens.every((t) => t.user === 'bob'));
    assert.equal((await bob.json('GET', '/tokengate/api/users')).status, 403);
    assert.equal((await bob.json('POST', '/tokengate/api/tokenTools/set', { auditLog: false })).status, 403);
    const users = await admin.json<{ users: { username: string }[] }>('GET', '/tokengate/api/users');
    assert.deepEqual(
      users.body.users.map((u) => u.username),
      ['admin', 'bob'],
    );
  });

  test('paging, search and sort for many tokens', async () => {
    for (let i = 0; i < 60; i++) {
      await admin.json('POST', '/tokengate/api/tokenTools/set', {
        label: `bulk ${String(i).padStart(2, '0')}`,
        userName: i % 2 === 0 ? 'bob' : 'admin',
      });
    }
    const first = await admin.json<TokenList & { startAt: number }>(
      'GET',
      '/tokengate/api/tokens?q=bulk&sort=label&dir=asc&maxResults=25',
    );
    assert.equal(first.body.total, 60);
    assert.equal(first.body.tokens.length, 25);
    assert.equal(first.body.tokens[0]?.label, 'bulk 00');
    const last = await admin.json<TokenList>(
      'GET',
      '/tokengate/api/tokens?q=bulk&sort=label&dir=desc&startAt=50&maxResults=25',
    );
    assert.deepEqual(
      last.body.tokens.map((t) => t.label),
      ['bulk 09', 'bulk 08', 'bulk 07', 'bulk 06', 'bulk 05', 'bulk 04', 'bulk 03', 'bulk 02', 'bulk 01', 'bulk 00'],
    );
    const byUser = await admin.json<TokenList>('GET', '/tokengate/api/tokens?q=bob&maxResults=200');
    assert.ok(byUser.body.tokens.every((t) => t.user === 'bob'));
    assert.equal((await admin.json('GET', '/tokengate/api/tokens?sort=secret')).status, 400);
  });

  test('check, snippet, settings and audit are the endpoints themselves', async () => {
    const check = await admin.json<{ valid: boolean; error?: { line: number; column: number; message: string } }>(
      'POST',
      '/tokengate/api/tokenTools/check',
      { limitTo: '.*/rest/api/space.*\n[GET.*/rest/x', method: 'GET', url: '/rest/api/space' },
    );
    assert.equal(check.body.valid, false);
    assert.equal(check.body.error?.line, 2);
    const allowed = await admin.json<{ allowed: boolean; line: number }>('POST', '/tokengate/api/tokenTools/check', {
      limitTo: '[POST].*/x\n[GET].*/rest/api/space.*',
      method: 'GET',
      url: '/rest/api/space/DEMO',
    });
    assert.deepEqual([allowed.body.allowed, allowed.body.line], [true, 2]);
    const settings = await admin.json<{ settings: { authType: string; secureMode: boolean } }>(
      'GET',
      '/tokengate/api/tokenTools/settings',
    );
    assert.equal(settings.body.settings.authType, 'basic');
    const changed = await admin.json<{ settings: { authType: string } }>('POST', '/tokengate/api/tokenTools/set', {
      authType: 'both',
    });
    assert.equal(changed.body.settings.authType, 'both');
    assert.equal(page.actions.at(-1)?.action, 'settings changed: authType=both');
    const token = await admin.json<{ id: string; token: string }>('POST', '/tokengate/api/tokenTools/set', {
      label: 'snip',
      userName: 'admin',
    });
    const snippet = await admin.json<{ code: string }>(
      'GET',
      `/tokengate/api/tokenTools/snippet?id=${token.body.id}&lang=curl`,
    );
    assert.ok(snippet.body.code.includes(token.body.token), 'admins in standard mode get a runnable snippet');
    const audit = await admin.json<{ entries: { decision: string; authMethod: string }[] }>(
      'GET',
      '/tokengate/api/tokenTools/audit?maxResults=5',
    );
    assert.equal(audit.status, 200);
    const csv = await admin.request('GET', '/tokengate/api/tokenTools/audit?format=csv');
    assert.match(csv.headers.get('content-disposition') ?? '', /attachment; filename="tokengate-audit-.*\.csv"/);
    await csv.text();
    assert.equal((await admin.json('PUT', '/tokengate/api/tokenTools/set', {})).status, 405);
    assert.equal(
      (await admin.json('GET', '/tokengate/api/tokenTools/get')).status,
      404,
      'the raw list (with secrets) is not exposed',
    );
    assert.equal((await admin.json('GET', '/tokengate/api/nothing')).status, 404);
    assert.equal((await admin.json('POST', '/tokengate/api/me')).status, 405);
  });
});

describe('page routes: HTTPS', () => {
  test('the cookie is Secure when the public URL is https', async () => {
    const page = await startPage({ publicUrl: 'https://gate.example.com' });
    try {
      const response = await fetch(`${page.url}/tokengate/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://gate.example.com' },
        body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('set-cookie') ?? '', /; Secure$/);
    } finally {
      await page.close();
    }
  });
});
