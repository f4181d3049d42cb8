/**
 * Black-box: the real `tokengate serve` process on a free port, a real upstream process that
 * records what it receives, and a real data directory. Users and tokens are made with the CLI.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBlackBox } from '../testing/black-box.js';
import { basic } from '../testing/http.js';

describe('gateway: forwarding allowed calls', () => {
  let alice: { id: string; token: string };
  let unbound: { id: string; token: string };
  let restricted: { id: string; token: string };
  const box = useBlackBox({
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'alice', '--email', 'alice@example.com', '--admin']).status, 0);
      assert.equal(b.cli(['user', 'add', 'bob']).status, 0);
      alice = b.createToken(['--label', 'alice script', '--user', 'alice']);
      unbound = b.createToken(['--label', 'anyone']);
      restricted = b.createToken([
        '--label',
        'pages only',
        '--user',
        'alice',
        '--limit-to',
        '[POST].*/rest/api/content/?[JsonData::type==page][JsonData::title==TEST.*]\\n[GET].*/rest/api/space.*',
      ]);
    },
  });

  test('Basic USER:TOKEN reaches the upstream without the client credentials, with the identity header', async () => {
    await box.upstream.clear();
    const response = await fetch(`${box.url}/rest/api/space?limit=5&os_password=hunter2&os_username=x`, {
      headers: { authorization: basic('alice', alice.token), cookie: 'JSESSIONID=abc', 'x-forwarded-user': 'mallory' },
    });
    assert.equal(response.status, 200);
    const [received] = await box.upstream.records();
    assert.ok(received);
    assert.equal(received.url, '/rest/api/space?limit=5');
    assert.equal(received.headers.authorization, undefined);
    assert.equal(received.headers.cookie, undefined);
    assert.equal(received.headers['x-forwarded-user'], 'alice');
    assert.match(String(received.headers['x-forwarded-for']), /127\.0\.0\.1/);
    assert.equal(received.headers['x-forwarded-proto'], 'http');
  });

  test('the email works as the Basic user, case-insensitively', async () => {
    const response = await fetch(`${box.url}/rest/api/space`, {
      headers: { authorization: basic('ALICE@example.com', alice.token) },
    });
    assert.equal(response.status, 200);
  });

  test('an unbound token works for any existing user with Basic, as that user', async () => {
    await box.upstream.clear();
    const response = await fetch(`${box.url}/rest/api/user/current`, {
      headers: { authorization: basic('bob', unbound.token) },
    });
    assert.equal(response.status, 200);
    const [received] = await box.upstream.records();
    assert.equal(received?.headers['x-forwarded-user'], 'bob');
    const nobody = await fetch(`${box.url}/rest/api/user/current`, {
      headers: { authorization: basic('nobody', unbound.token) },
    });
    assert.equal(nobody.status, 401);
  });

  test('a JsonData rule reads the body, and the checked bytes are what the upstream receives', async () => {
    await box.upstream.clear();
    const body = JSON.stringify({ type: 'page', title: 'TEST plan', space: { key: 'PM' } });
    const allowed = await fetch(`${box.url}/rest/api/content`, {
      method: 'POST',
      headers: { authorization: basic('alice', restricted.token), 'content-type': 'application/json' },
      body,
    });
    assert.equal(allowed.status, 200);
    const [received] = await box.upstream.records();
    assert.equal(received?.body, body);

    const denied = await fetch(`${box.url}/rest/api/content`, {
      method: 'POST',
      headers: { authorization: basic('alice', restricted.token), 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'blogpost', title: 'TEST x' }),
    });
    assert.equal(denied.status, 403);
    const message = (await denied.json()) as { status: string; message: string };
    assert.equal(message.status, 'error');
    assert.match(message.message, /pages only/);
    assert.equal((await box.upstream.records()).length, 1, 'a denied call never reaches the upstream');
  });

  test('a streamed body passes through untouched when no rule needs it', async () => {
    await box.upstream.clear();
    const big = 'x'.repeat(3 * 1024 * 1024);
    const response = await fetch(`${box.url}/rest/api/attachment`, {
      method: 'PUT',
      headers: { authorization: basic('alice', alice.token), 'content-type': 'application/octet-stream' },
      body: big,
    });
    assert.equal(response.status, 200);
    const [received] = await box.upstream.records();
    assert.equal(received?.body.length, big.length);
  });

  test('redirects are passed through with Location rewritten to the public URL', async () => {
    const response = await fetch(`${box.url}/rest/test/redirect`, {
      headers: { authorization: basic('alice', alice.token) },
      redirect: 'manual',
    });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), `${box.url}/rest/api/space/NEW`);
  });

  test('healthz answers without auth; paths outside /rest/ are 404 and never forwarded', async () => {
    assert.equal((await fetch(`${box.url}/healthz`)).status, 200);
    await box.upstream.clear();
    const response = await fetch(`${box.url}/admin/secret`, {
      headers: { authorization: basic('alice', alice.token) },
    });
    assert.equal(response.status, 404);
    assert.equal((await box.upstream.records()).length, 0);
  });
});
