/**
 * Black-box: the decision endpoint asked directly (no proxy), on the main listener and on its own:
 * Envoy's form (the original path after the decision path), nginx's refusal statuses, what the
 * decision listener serves.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBlackBox } from '../testing/black-box.js';
import { basic } from '../testing/http.js';

describe('decision endpoint, asked directly', () => {
  let bob: { id: string; token: string };
  const box = useBlackBox({
    env: { TOKENGATE_DECISION_PORT: '0' },
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'bob']).status, 0);
      bob = b.createToken(['--label', 'spaces', '--user', 'bob', '--limit-to', '[GET].*/rest/api/space.*']);
    },
  });
  const decisionUrl = () => /decisions on (http:\/\/[^\s"]+)/.exec(box.gate.output())?.[1] ?? '';

  test('Envoy form on the main listener: 200 with the identity header, nothing forwarded', async () => {
    await box.upstream.clear();
    const response = await fetch(`${box.url}/tokengate/authorize/rest/api/space?limit=1`, {
      headers: { authorization: basic('bob', bob.token), cookie: 'a=b' },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-forwarded-user'), 'bob');
    assert.equal(response.headers.get('x-tokengate-user'), 'bob');
    assert.equal(response.headers.get('authorization'), null);
    assert.equal(response.headers.get('x-envoy-auth-headers-to-remove'), 'cookie,authorization');
    assert.deepEqual(await response.json(), { status: 'allowed', user: 'bob' });
    assert.deepEqual(await box.upstream.records(), []);
  });

  test('Envoy form: a denial keeps its real status and the gateway’s body', async () => {
    const response = await fetch(`${box.url}/tokengate/authorize/rest/api/content/1`, {
      method: 'DELETE',
      headers: { authorization: basic('bob', bob.token) },
    });
    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as { code: string }).code, 'request_denied');
  });

  test('nginx form: a 400 refusal is answered 403, the real status, code and body in headers', async () => {
    const response = await fetch(`${decisionUrl()}/tokengate/authorize`, {
      headers: {
        authorization: basic('bob', bob.token),
        'x-original-method': 'GET',
        'x-original-uri': '/rest/api/space/%2e%2e/admin',
      },
    });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('x-tokengate-status'), '400');
    assert.equal(response.headers.get('x-tokengate-code'), 'malformed_request');
    const body = await response.text();
    assert.equal(response.headers.get('x-tokengate-error'), body);
    assert.equal((JSON.parse(body) as { code: string }).code, 'malformed_request');
  });

  test('nginx form: unauthenticated stays 401 with its challenge', async () => {
    const response = await fetch(`${decisionUrl()}/tokengate/authorize`, {
      headers: { 'x-original-method': 'GET', 'x-original-uri': '/rest/api/space' },
    });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /Basic/);
  });

  test('a path outside the protected prefix is not tokengate’s to allow', async () => {
    const response = await fetch(`${decisionUrl()}/tokengate/authorize`, {
      headers: { authorization: basic('bob', bob.token), 'x-forwarded-method': 'GET', 'x-forwarded-uri': '/admin' },
    });
    assert.equal(response.status, 404);
  });

  test('the decision listener serves nothing else: no gateway, no page, no admin API', async () => {
    await box.upstream.clear();
    for (const path of ['/rest/api/space', '/tokengate/', '/healthz', '/rest/extender/1.0/tokenTools/get']) {
      const response = await fetch(`${decisionUrl()}${path}`, { headers: { authorization: basic('bob', bob.token) } });
      assert.equal(response.status, 404, path);
    }
    assert.deepEqual(await box.upstream.records(), []);
  });
});
