/**
 * Black-box: pass-through. Requests without a tokengate token reach the upstream unchanged (its
 * own Authorization, cookies, query, body); tokens are one more way in; a prefixed secret that is
 * no valid token never reaches the upstream.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTokenWithCli, runCli } from '../testing/cli.js';
import { basic } from '../testing/http.js';
import {
  type RunningTokengate,
  type RunningUpstream,
  startRecordingUpstream,
  startTokengate,
  tempDir,
} from '../testing/processes.js';

describe('gateway: pass-through', () => {
  const dir = tempDir();
  let upstream: RunningUpstream;
  let gate: RunningTokengate;
  let alice: { id: string; token: string };
  let chosen: { id: string; token: string };
  let deleted: { id: string; token: string };

  before(async () => {
    assert.equal(runCli(['user', 'add', 'alice', '--admin'], { dataDir: dir.path }).status, 0);
    alice = createTokenWithCli(dir.path, ['--label', 'alice', '--user', 'alice']);
    chosen = createTokenWithCli(dir.path, [
      '--label',
      'chosen',
      '--user',
      'alice',
      '--token',
      'my-own-token-value-1234',
    ]);
    deleted = createTokenWithCli(dir.path, ['--label', 'gone', '--user', 'alice']);
    assert.equal(runCli(['token', 'delete', deleted.id], { dataDir: dir.path }).status, 0);
    upstream = await startRecordingUpstream();
    gate = await startTokengate({
      dataDir: dir.path,
      upstream: upstream.url,
      env: { TOKENGATE_PASSTHROUGH: 'true', TOKENGATE_AUTH_FAILURE_LIMIT: '10' },
    });
  });

  after(async () => {
    await gate?.stop();
    await upstream?.stop();
    dir.remove();
  });

  test('a request without a token goes upstream unchanged, minus every spelling of the identity header', async () => {
    await upstream.clear();
    const own = basic('confluence-user', 'their upstream password');
    const response = await fetch(`${gate.url}/rest/api/space?os_authType=basic&limit=5`, {
      headers: {
        authorization: own,
        cookie: 'JSESSIONID=abc; seraph.rememberme=1',
        'x-forwarded-user': 'admin',
        x_forwarded_user: 'admin',
        'X_Forwarded-User': 'admin',
      },
    });
    assert.equal(response.status, 200);
    const [received] = await upstream.records();
    assert.ok(received);
    assert.equal(received.url, '/rest/api/space?os_authType=basic&limit=5');
    assert.equal(received.headers.authorization, own);
    assert.equal(received.headers.cookie, 'JSESSIONID=abc; seraph.rememberme=1');
    for (const name of Object.keys(received.headers)) {
      assert.notEqual(name.replaceAll('_', '-').toLowerCase(), 'x-forwarded-user', `${name} reached the upstream`);
    }
    assert.equal(received.headers['x-forwarded-proto'], 'http');
  });

  test("the upstream's UI and login (outside the protected prefixes) pass through, with the body", async () => {
    await upstream.clear();
    const login = await fetch(`${gate.url}/dologin.action`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'os_username=alice&os_password=secret&login=Log+in',
      redirect: 'manual',
    });
    assert.equal(login.status, 200);
    assert.equal((await fetch(`${gate.url}/`)).status, 200);
    const records = await upstream.records();
    assert.deepEqual(
      records.map((r) => `${r.method} ${r.url}`),
      ['POST /dologin.action', 'GET /'],
    );
    assert.equal(records[0]?.body, 'os_username=alice&os_password=secret&login=Log+in');
  });

  test('a valid token is a token call: identity header set, its secret never forwarded', async () => {
    await upstream.clear();
    for (const auth of [basic('alice', alice.token), basic('alice', chosen.token)]) {
      const response = await fetch(`${gate.url}/rest/api/space`, { headers: { authorization: auth } });
      assert.equal(response.status, 200);
    }
    const records = await upstream.records();
    assert.equal(records.length, 2);
    for (const received of records) {
      assert.equal(received.headers['x-forwarded-user'], 'alice');
      assert.equal(received.headers.authorization, undefined);
    }
  });

  test('an unknown or deleted prefixed secret gets 401 and never reaches the upstream', async () => {
    await upstream.clear();
    for (const auth of [
      `Bearer ${deleted.token}`,
      basic('alice', deleted.token),
      `Bearer tgp_${'x'.repeat(36)}`,
      basic('alice', `tgp_${'y'.repeat(36)}`),
    ]) {
      const response = await fetch(`${gate.url}/rest/api/space`, { headers: { authorization: auth } });
      assert.equal(response.status, 401);
    }
    assert.deepEqual(await upstream.records(), []);
  });

  test('a token outside the protected prefixes is refused, not forwarded; tokenTools always need a token', async () => {
    await upstream.clear();
    const outside = await fetch(`${gate.url}/plugins/servlet/x`, {
      headers: { authorization: basic('alice', chosen.token) },
    });
    assert.equal(outside.status, 403);
    assert.match(((await outside.json()) as { message: string }).message, /only under \/rest\//);
    assert.equal((await fetch(`${gate.url}/rest/extender/1.0/tokenTools/get`)).status, 401);
    assert.deepEqual(await upstream.records(), []);
  });

  test('pass-through requests are not failed authentications (no 429), and not recorded by default', async () => {
    await upstream.clear();
    // 5 failed token attempts so far; 20 more would be over the limit of 10 if they counted
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${gate.url}/rest/api/space`, {
        headers: { authorization: basic('someone', `wrong upstream password ${i}`) },
      });
      assert.equal(response.status, 200);
    }
    assert.equal((await upstream.records()).length, 20);
    const audit = await fetch(`${gate.url}/rest/extender/1.0/tokenTools/audit?decision=passthrough`, {
      headers: { authorization: basic('alice', alice.token) },
    });
    assert.equal(audit.status, 200);
    assert.equal(((await audit.json()) as { total: number }).total, 0);
  });

  test('audit.passthrough on: pass-through requests are recorded, without the password', async () => {
    const auditing = await startTokengate({
      dataDir: dir.path,
      upstream: upstream.url,
      env: { TOKENGATE_PASSTHROUGH: 'true', TOKENGATE_AUDIT_PASSTHROUGH: 'true' },
    });
    try {
      const password = 'upstream-password-in-query';
      const response = await fetch(`${auditing.url}/rest/api/space?x=${password}`, {
        headers: { authorization: basic('someone', password) },
      });
      assert.equal(response.status, 200);
      let entries: { decision: string; query: string; upstreamStatus: number; reason: string }[] = [];
      for (let i = 0; i < 50 && entries.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const audit = await fetch(`${auditing.url}/rest/extender/1.0/tokenTools/audit?decision=passthrough`, {
          headers: { authorization: basic('alice', alice.token) },
        });
        entries = ((await audit.json()) as { entries: typeof entries }).entries;
      }
      assert.equal(entries.length, 1);
      assert.equal(entries[0]?.upstreamStatus, 200);
      assert.ok(!JSON.stringify(entries).includes(password), 'the upstream password is scrubbed');
    } finally {
      await auditing.stop();
    }
  });
});
