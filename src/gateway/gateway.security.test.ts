/**
 * Black-box: refusals. Nothing refused may reach the upstream, and every refusal says why.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBlackBox } from '../testing/black-box.js';
import { createTokenWithCli, runCli } from '../testing/cli.js';
import { basic, rawGet } from '../testing/http.js';
import { startTokengate, tempDir } from '../testing/processes.js';

describe('gateway: refusals', () => {
  let admin: { id: string; token: string };
  let spaces: { id: string; token: string };
  let bobs: { id: string; token: string };
  const box = useBlackBox({
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'root', '--admin']).status, 0);
      assert.equal(b.cli(['user', 'add', 'bob']).status, 0);
      admin = b.createToken(['--label', 'admin', '--user', 'root']);
      spaces = b.createToken(['--label', 'spaces reader', '--user', 'root', '--limit-to', '[GET].*/rest/api/space.*']);
      bobs = b.createToken(['--label', 'bob', '--user', 'bob']);
    },
    env: { TOKENGATE_AUTH_FAILURE_LIMIT: '1000' },
  });

  test('no credentials → 401 with a Basic challenge and a reason', async () => {
    const response = await fetch(`${box.url}/rest/api/space`);
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Basic /);
    const body = (await response.json()) as { status: string; message: string };
    assert.equal(body.status, 'error');
    assert.match(body.message, /credentials/);
  });

  test('an unknown token and another user\u2019s token get the same answer', async () => {
    const unknown = await fetch(`${box.url}/rest/api/space`, {
      headers: { authorization: basic('root', 'tgp_not_a_real_token_123456') },
    });
    const other = await fetch(`${box.url}/rest/api/space`, { headers: { authorization: basic('root', bobs.token) } });
    assert.equal(unknown.status, 401);
    assert.equal(other.status, 401);
    assert.deepEqual(await unknown.json(), await other.json());
  });

  test('Bearer is refused while the setting is basic, and accepted after switching to both', async () => {
    const before = await fetch(`${box.url}/rest/api/space`, { headers: { authorization: `Bearer ${admin.token}` } });
    assert.equal(before.status, 401);
    assert.match(((await before.json()) as { message: string }).message, /Bearer authentication is not accepted/);
    const set = await fetch(`${box.url}/rest/extender/1.0/tokenTools/set`, {
      method: 'POST',
      headers: { authorization: basic('root', admin.token), 'content-type': 'application/json' },
      body: JSON.stringify({ authType: 'both' }),
    });
    assert.equal(set.status, 200);
    const afterSwitch = await fetch(`${box.url}/rest/api/space`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    assert.equal(afterSwitch.status, 200);
    const challenge = await fetch(`${box.url}/rest/api/space`);
    assert.match(challenge.headers.get('www-authenticate') ?? '', /Basic .*Bearer|Bearer .*Basic/s);
  });

  test('a call no rule allows → 403 naming the token, never forwarded', async () => {
    await box.upstream.clear();
    const response = await fetch(`${box.url}/rest/api/content`, {
      headers: { authorization: basic('root', spaces.token) },
    });
    assert.equal(response.status, 403);
    assert.match(((await response.json()) as { message: string }).message, /spaces reader/);
    assert.equal((await box.upstream.records()).length, 0);
  });

  for (const target of [
    '/rest/api/space/../content',
    '/rest/api/space/%2e%2e/content',
    '/rest/api/space/..;/content',
    '/rest/api/space;jsessionid=1',
    '/rest/api//space',
    '/rest/api/space%2fcontent',
    '/rest/api/space%5ccontent',
    '/rest/api/space/%252e%252e/x',
  ]) {
    test(`an ambiguous path is refused with 400: ${target}`, async () => {
      await box.upstream.clear();
      const response = await rawGet(box.url, target, { authorization: basic('root', spaces.token) });
      assert.equal(response.status, 400, response.body);
      assert.equal((await box.upstream.records()).length, 0);
    });
  }

  test('method-override headers are refused', async () => {
    const response = await fetch(`${box.url}/rest/api/space`, {
      headers: { authorization: basic('root', spaces.token), 'x-http-method-override': 'DELETE' },
    });
    assert.equal(response.status, 400);
  });

  test('an unreachable upstream → 502 with a JSON message', async () => {
    const dead = tempDir();
    runCli(['user', 'add', 'root', '--admin'], { dataDir: dead.path });
    const token = createTokenWithCli(dead.path, ['--label', 'x', '--user', 'root']);
    const down = await startTokengate({ dataDir: dead.path, upstream: 'http://127.0.0.1:9' });
    try {
      const response = await fetch(`${down.url}/rest/api/space`, {
        headers: { authorization: basic('root', token.token) },
      });
      assert.equal(response.status, 502);
      assert.equal(((await response.json()) as { status: string }).status, 'error');
    } finally {
      await down.stop();
      dead.remove();
    }
  });

  test('a slow upstream → 504', async () => {
    const slow = await startTokengate({
      dataDir: box.dataDir,
      upstream: box.upstream.url,
      env: { TOKENGATE_UPSTREAM_TIMEOUT_MS: '300' },
    });
    try {
      const response = await fetch(`${slow.url}/rest/test/slow?ms=2000`, {
        headers: { authorization: basic('root', admin.token) },
      });
      assert.equal(response.status, 504);
    } finally {
      await slow.stop();
    }
  });

  test('a token deleted by the CLI is refused by the running server within one second', async () => {
    const doomed = box.createToken(['--label', 'doomed', '--user', 'root']);
    const headers = { authorization: basic('root', doomed.token) };
    assert.equal((await fetch(`${box.url}/rest/api/space`, { headers })).status, 200);
    assert.equal(box.cli(['token', 'delete', doomed.id]).status, 0);
    const deadline = Date.now() + 1000;
    let status = 200;
    while (Date.now() < deadline) {
      status = (await fetch(`${box.url}/rest/api/space`, { headers })).status;
      if (status === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(status, 401);
  });

  test('a disabled user\u2019s tokens stop working', async () => {
    const headers = { authorization: basic('bob', bobs.token) };
    assert.equal((await fetch(`${box.url}/rest/api/space`, { headers })).status, 200);
    assert.equal(box.cli(['user', 'disable', 'bob']).status, 0);
    const deadline = Date.now() + 1500;
    let status = 200;
    while (Date.now() < deadline && status !== 401) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await fetch(`${box.url}/rest/api/space`, { headers })).status;
    }
    assert.equal(status, 401);
  });
});
