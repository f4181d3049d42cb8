/**
 * Black-box: configurable protected prefixes and a context path; paths are forwarded unchanged.
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

describe('gateway: routes', () => {
  const dir = tempDir();
  let upstream: RunningUpstream;
  let alice: { id: string; token: string };
  const gates: RunningTokengate[] = [];

  before(async () => {
    assert.equal(runCli(['user', 'add', 'alice', '--admin'], { dataDir: dir.path }).status, 0);
    alice = createTokenWithCli(dir.path, ['--label', 'alice', '--user', 'alice']);
    upstream = await startRecordingUpstream();
  });

  after(async () => {
    for (const gate of gates) await gate.stop();
    await upstream?.stop();
    dir.remove();
  });

  test('protect lists the prefixes that need a token; anything else is 404 without pass-through', async () => {
    const gate = await startTokengate({
      dataDir: dir.path,
      upstream: upstream.url,
      env: { TOKENGATE_PROTECT: '/api/v1/, /v2/' },
    });
    gates.push(gate);
    await upstream.clear();
    const auth = { authorization: basic('alice', alice.token) };
    for (const path of ['/api/v1/queues?x=1', '/v2/library/hello/tags/list']) {
      assert.equal((await fetch(`${gate.url}${path}`)).status, 401, path);
      const response = await fetch(`${gate.url}${path}`, { headers: auth });
      assert.equal(response.status, 200, path);
    }
    assert.deepEqual(
      (await upstream.records()).map((r) => r.url),
      ['/api/v1/queues?x=1', '/v2/library/hello/tags/list'],
    );
    const notProtected = await fetch(`${gate.url}/rest/api/space`, { headers: auth });
    assert.equal(notProtected.status, 404);
    const notFound = (await notProtected.json()) as { code: string; message: string };
    assert.equal(notFound.code, 'not_found');
    assert.match(notFound.message, /serves only \/api\/v1\/\*, \/v2\/\*/);
    // the admin API stays where it is, whatever is protected
    const admin = await fetch(`${gate.url}/rest/extender/1.0/tokenTools/get`, { headers: auth });
    assert.equal(admin.status, 200);
    assert.equal((await upstream.records()).length, 2);
  });

  test('a context path on the upstream URL: prefixes and own paths live under it, paths forwarded unchanged', async () => {
    const gate = await startTokengate({ dataDir: dir.path, upstream: `${upstream.url}/confluence` });
    gates.push(gate);
    await upstream.clear();
    const auth = { authorization: basic('alice', alice.token) };
    const response = await fetch(`${gate.url}/confluence/rest/api/space?limit=1`, { headers: auth });
    assert.equal(response.status, 200);
    assert.deepEqual(
      (await upstream.records()).map((r) => r.url),
      ['/confluence/rest/api/space?limit=1'],
    );
    assert.equal((await fetch(`${gate.url}/rest/api/space`, { headers: auth })).status, 404);
    const admin = await fetch(`${gate.url}/confluence/rest/extender/1.0/tokenTools/get`, { headers: auth });
    assert.equal(admin.status, 200);
    const openApi = await fetch(`${gate.url}/confluence/rest/extender/1.0/openapi.json`);
    assert.equal(openApi.status, 200);
    const document = (await openApi.json()) as { servers: { url: string }[] };
    assert.equal(document.servers[0]?.url, `${gate.url}/confluence`);
    assert.equal((await upstream.records()).length, 1, 'own paths are never forwarded');
  });

  test('encodedSlash keep: %2F reaches the rules as three characters and the upstream byte for byte', async () => {
    const vhost = createTokenWithCli(dir.path, [
      '--label',
      'orders in vhost /',
      '--user',
      'alice',
      '--limit-to',
      '[GET]/rest/api/queues/%2F/orders',
    ]);
    const gate = await startTokengate({
      dataDir: dir.path,
      upstream: upstream.url,
      env: { TOKENGATE_ENCODED_SLASH: 'keep' },
    });
    gates.push(gate);
    await upstream.clear();
    const auth = { authorization: basic('alice', vhost.token) };
    assert.equal((await fetch(`${gate.url}/rest/api/queues/%2f/orders`, { headers: auth })).status, 200);
    assert.equal((await fetch(`${gate.url}/rest/api/queues/%2F/other`, { headers: auth })).status, 403);
    assert.equal((await fetch(`${gate.url}/rest/api/queues/..%2F..%2Fusers`, { headers: auth })).status, 400);
    assert.equal((await fetch(`${gate.url}/rest/api/queues/%5C/orders`, { headers: auth })).status, 400);
    assert.deepEqual(
      (await upstream.records()).map((r) => r.url),
      ['/rest/api/queues/%2F/orders'],
    );
    const refusing = gates[0] as RunningTokengate;
    const refused = await fetch(`${refusing.url}/api/v1/queues/%2F/orders`, {
      headers: { authorization: basic('alice', alice.token) },
    });
    assert.equal(refused.status, 400, 'refuse is the default');
  });
});
