/**
 * Black-box: tokengate's own paths (the OpenAPI document, every tokenTools path in any letter
 * case) are served by tokengate and never reach the upstream.
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

describe('gateway: own paths', () => {
  const dir = tempDir();
  let upstream: RunningUpstream;
  let gate: RunningTokengate;
  let admin: { id: string; token: string };

  before(async () => {
    assert.equal(runCli(['user', 'add', 'Alice', '--admin'], { dataDir: dir.path }).status, 0);
    assert.equal(runCli(['user', 'add', 'bob'], { dataDir: dir.path }).status, 0);
    admin = createTokenWithCli(dir.path, ['--label', 'admin', '--user', 'Alice']);
    createTokenWithCli(dir.path, ['--label', 'for bob', '--user', 'bob']);
    upstream = await startRecordingUpstream();
    gate = await startTokengate({ dataDir: dir.path, upstream: upstream.url });
  });

  after(async () => {
    await gate?.stop();
    await upstream?.stop();
    dir.remove();
  });

  test('the OpenAPI document is served without credentials, and with a token, never forwarded', async () => {
    await upstream.clear();
    const anonymous = await fetch(`${gate.url}/rest/extender/1.0/openapi.json`);
    assert.equal(anonymous.status, 200);
    const document = (await anonymous.json()) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(document.openapi, '3.1.0');
    const withToken = await fetch(`${gate.url}/rest/extender/1.0/openapi.json`, {
      headers: { authorization: basic('Alice', admin.token) },
    });
    assert.equal(withToken.status, 200);
    const post = await fetch(`${gate.url}/rest/extender/1.0/openapi.json`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.deepEqual(await upstream.records(), []);
  });

  test('tokenTools paths in any letter case and with a trailing slash are served by tokengate', async () => {
    await upstream.clear();
    for (const path of [
      '/rest/extender/1.0/tokenTools/get',
      '/rest/extender/1.0/tokenTools/get/',
      '/rest/extender/1.0/TokenTools/get',
      '/rest/extender/1.0/TOKENTOOLS/GET/',
    ]) {
      const response = await fetch(`${gate.url}${path}`, { headers: { authorization: basic('Alice', admin.token) } });
      assert.equal(response.status, 200, path);
      const body = (await response.json()) as { status: string; total: number };
      assert.equal(body.status, 'ok', path);
      assert.equal(body.total, 2, path);
    }
    assert.deepEqual(await upstream.records(), []);
  });

  test('an unknown tokenTools path is a 404 JSON error, never forwarded; without credentials 401', async () => {
    await upstream.clear();
    for (const path of [
      '/rest/extender/1.0/tokenTools/bogus',
      '/rest/extender/1.0/tokenTools',
      '/rest/extender/1.0/tokenTools/',
      '/rest/extender/1.0/tokentools/get/more',
    ]) {
      const response = await fetch(`${gate.url}${path}`, { headers: { authorization: basic('Alice', admin.token) } });
      assert.equal(response.status, 404, path);
      const body = (await response.json()) as { status: string; message: string };
      assert.equal(body.status, 'error');
      assert.match(body.message, /tokenTools/);
      const anonymous = await fetch(`${gate.url}${path}`);
      assert.equal(anonymous.status, 401, path);
    }
    assert.deepEqual(await upstream.records(), []);
  });

  test('a known tokenTools path with another method is 405 in any letter case', async () => {
    const response = await fetch(`${gate.url}/rest/extender/1.0/TOKENTOOLS/get`, {
      method: 'DELETE',
      headers: { authorization: basic('Alice', admin.token) },
    });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'GET');
  });

  test('tokenTools/get tokens carry authorKey and userKey (the lower-case usernames)', async () => {
    const response = await fetch(`${gate.url}/rest/extender/1.0/tokenTools/get`, {
      headers: { authorization: basic('Alice', admin.token) },
    });
    const body = (await response.json()) as {
      tokens: { label: string; user: string; author: string | null; userKey: string; authorKey: string | null }[];
    };
    const mine = body.tokens.find((t) => t.label === 'admin');
    assert.equal(mine?.user, 'Alice');
    assert.equal(mine?.userKey, 'alice');
    const bobs = body.tokens.find((t) => t.label === 'for bob');
    assert.equal(bobs?.userKey, 'bob');
    assert.ok(bobs !== undefined && 'authorKey' in bobs);
    assert.equal(bobs?.authorKey, bobs?.author === null ? null : bobs?.author.toLowerCase());
  });
});
