/**
 * Black-box: every refusal a client sees carries its machine-readable `code` from the error
 * catalogue, with the status the catalogue gives it, in the one JSON shape
 * `{"status":"error","code":…,"message":…}`. In-process server (the clock is injected to expire a
 * token), real upstream process, real SQLite file, users and tokens made with the CLI.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ErrorCode, errorStatus } from '../http/error-catalogue.js';
import { useBlackBox } from '../testing/black-box.js';
import { addressSource } from '../testing/cluster.js';
import { basic, type CallResult, call, rawGet } from '../testing/http.js';
import { PageClient } from '../testing/page-client.js';

const TOOLS = '/rest/extender/1.0/tokenTools';
const FAILURE_LIMIT = 3;
const PASSWORD = 'a long page password';

/** Asserts the one error shape with `code`, and the status the catalogue gives that code. */
function assertError(result: { status: number; json: unknown }, code: ErrorCode): void {
  const body = result.json as { status?: unknown; code?: unknown; message?: unknown };
  assert.equal(body?.code, code, JSON.stringify(result.json));
  assert.equal(result.status, errorStatus(code));
  assert.equal(body.status, 'error');
  assert.equal(typeof body.message, 'string');
  assert.deepEqual(Object.keys(body).sort(), ['code', 'message', 'status']);
}

describe('error codes', () => {
  let now = Date.now();
  let admin = '';
  let reader = '';
  let shortLived = '';
  const nextIp = addressSource();
  const box = useBlackBox({
    server: 'in-process',
    now: () => now,
    env: {
      TOKENGATE_AUTH_FAILURE_LIMIT: String(FAILURE_LIMIT),
      // each test is its own client address, so one test's failures never limit another
      TOKENGATE_TRUSTED_PROXY_HOPS: '1',
    },
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'root', '--admin', '--password-stdin'], { input: `${PASSWORD}\n` }).status, 0);
      admin = basic('root', b.createToken(['--label', 'admin', '--user', 'root']).token);
      reader = basic(
        'root',
        b.createToken(['--label', 'reader', '--user', 'root', '--limit-to', '[GET].*/space']).token,
      );
      shortLived = basic('root', b.createToken(['--label', 'short', '--user', 'root', '--days', '1']).token);
    },
  });
  const get = (path: string, auth?: string) => call(box.url, path, { auth, ip: nextIp() });

  test('no credentials → credentials_missing', async () => {
    assertError(await get('/rest/api/space'), 'credentials_missing');
  });

  test('a malformed Authorization header → credentials_malformed', async () => {
    assertError(await get('/rest/api/space', 'Basic !!!'), 'credentials_malformed');
  });

  test('an unknown token → unknown_token', async () => {
    assertError(await get('/rest/api/space', basic('root', 'tgp_not_a_real_token_123456')), 'unknown_token');
  });

  test('Bearer while only Basic is accepted → auth_method_not_accepted', async () => {
    assertError(await get('/rest/api/space', 'Bearer tgp_not_a_real_token_123456'), 'auth_method_not_accepted');
  });

  test('an expired token → token_expired', async () => {
    assert.equal((await get('/rest/api/space', shortLived)).status, 200);
    now = Date.now() + 86_400_000 + 1000; // a day after the token was made (in set-up, before this test)
    try {
      assertError(await get('/rest/api/space', shortLived), 'token_expired');
    } finally {
      now = Date.now();
    }
  });

  test('a call the rules do not allow → request_denied', async () => {
    assertError(await get('/rest/api/content', reader), 'request_denied');
  });

  test('too many failed authentications → too_many_failures', async () => {
    const ip = nextIp();
    const wrong = basic('root', 'tgp_not_a_real_token_123456');
    let last: CallResult | undefined;
    for (let i = 0; i <= FAILURE_LIMIT; i++) last = await call(box.url, '/rest/api/space', { auth: wrong, ip });
    assert.ok(last);
    assertError(last, 'too_many_failures');
    assert.ok(Number(last.headers.get('retry-after')) > 0);
  });

  test('an ambiguous path → malformed_request; a path tokengate does not serve → not_found', async () => {
    const raw = await rawGet(box.url, '/rest/api/space/../content', { authorization: admin });
    assertError({ status: raw.status, json: JSON.parse(raw.body) }, 'malformed_request');
    assertError(await get('/admin/secret', admin), 'not_found');
  });

  test('a method-override header → method_override_refused', async () => {
    const result = await call(box.url, '/rest/api/space', {
      auth: admin,
      ip: nextIp(),
      headers: { 'x-http-method-override': 'DELETE' },
    });
    assertError(result, 'method_override_refused');
  });

  test('an admin path with the wrong method → method_not_allowed', async () => {
    const result = await get(`${TOOLS}/set`, admin);
    assertError(result, 'method_not_allowed');
    assert.equal(result.headers.get('allow'), 'POST');
  });

  test('bad JSON → invalid_json; a wrong content type → unsupported_media_type; a bad field → invalid_input', async () => {
    const post = (body: string, contentType = 'application/json') =>
      call(box.url, `${TOOLS}/set`, { auth: admin, ip: nextIp(), body, headers: { 'content-type': contentType } });
    assertError(await post('{"label": '), 'invalid_json');
    assertError(await post('{"label":"x"}', 'text/plain'), 'unsupported_media_type');
    assertError(await post('{"nonsense":1}'), 'invalid_input');
  });

  test('an unknown token id → token_not_found', async () => {
    const result = await call(box.url, `${TOOLS}/delete`, {
      auth: admin,
      ip: nextIp(),
      method: 'DELETE',
      body: { id: 'no-such-token' },
    });
    assertError(result, 'token_not_found');
  });

  test('page API: signed out → session_required; an unknown path → unknown_api_path', async () => {
    const client = new PageClient(box.url);
    const signedOut = await client.request('GET', '/tokengate/api/me');
    assertError({ status: signedOut.status, json: await signedOut.json() }, 'session_required');
    assert.equal((await client.signIn('root', PASSWORD)).status, 200);
    const unknown = await client.request('GET', '/tokengate/api/nothing-here');
    assertError({ status: unknown.status, json: await unknown.json() }, 'unknown_api_path');
  });
});
