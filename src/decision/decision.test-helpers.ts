/**
 * The black-box scenarios every real proxy in front of tokengate's decision endpoint must pass:
 * a real `tokengate serve` (its decision listener on a free port), a real recording upstream and
 * the real proxy (nginx, Caddy) started with the tested configuration of
 * src/decision/proxy-configs/. The same requests go to tokengate's own gateway, to compare.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { useBlackBox } from '../testing/black-box.js';
import type { RunningFrontProxy } from '../testing/front-proxy.js';
import { basic, rawGet } from '../testing/http.js';

/** The fixed upstream credential tokengate tells the proxy to send. */
export const UPSTREAM_TOKEN = 'svc-upstream-credential-1234';
/** bob's own upstream credential (per-user credentials), used instead of the fixed one. */
export const BOB_UPSTREAM_TOKEN = 'bobs-own-personal-access-token-5678';

/** Starts the proxy in front of `upstream` (host:port), asking `decision` (host:port). */
export type StartProxy = (options: { decision: string; upstream: string }) => Promise<RunningFrontProxy>;

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test code reads whatever JSON came back
  readonly json: any;
}

async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Registers the scenarios in the current suite. */
export function decisionScenarios(startProxy: StartProxy): void {
  let alice: { id: string; token: string };
  let spaces: { id: string; token: string };
  let pages: { id: string; token: string };
  let proxy: RunningFrontProxy | undefined;
  const box = useBlackBox({
    args: [],
    env: { TOKENGATE_UPSTREAM_TOKEN: UPSTREAM_TOKEN, TOKENGATE_DECISION_PORT: '0' },
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'alice', '--admin']).status, 0);
      assert.equal(b.cli(['user', 'add', 'bob']).status, 0);
      alice = b.createToken(['--label', 'alice script', '--user', 'alice']);
      spaces = b.createToken(['--label', 'spaces only', '--user', 'bob', '--limit-to', '[GET].*/rest/api/space.*']);
      // bob's own upstream credential (issue 13): his calls reach the upstream as bob
      assert.equal(
        b.cli(['user', 'upstream-credential', 'bob', '--type', 'bearer'], { input: BOB_UPSTREAM_TOKEN }).status,
        0,
      );
      pages = b.createToken([
        '--label',
        'pages by body',
        '--user',
        'bob',
        '--limit-to',
        '[POST].*/rest/api/content[JsonData::type==page]',
      ]);
    },
  });
  const front = (): RunningFrontProxy => {
    if (proxy === undefined) throw new Error('the proxy did not start');
    return proxy;
  };

  before(async () => {
    const decisionUrl = /decisions on (http:\/\/[^\s"]+)/.exec(box.gate.output())?.[1];
    assert.ok(decisionUrl, `tokengate did not print its decision listener:\n${box.gate.output()}`);
    proxy = await startProxy({ decision: new URL(decisionUrl).host, upstream: new URL(box.upstream.url).host });
  });
  after(async () => {
    await proxy?.stop();
  });

  test('allowed: the upstream gets the call with the identity header and the upstream credential, never the token or cookies', async () => {
    await box.upstream.clear();
    const answer = await send(`${front().url}/rest/api/space?limit=5`, {
      headers: {
        authorization: basic('bob', spaces.token),
        cookie: 'JSESSIONID=abc',
        'x-forwarded-user': 'mallory',
      },
    });
    assert.equal(answer.status, 200, answer.text);
    const records = await box.upstream.records();
    assert.equal(records.length, 1);
    const [received] = records;
    assert.equal(received?.url, '/rest/api/space?limit=5');
    assert.equal(received?.headers['x-forwarded-user'], 'bob');
    assert.equal(received?.headers.authorization, `Bearer ${BOB_UPSTREAM_TOKEN}`);
    assert.equal(received?.headers.cookie, undefined);
    assert.ok(!JSON.stringify(received?.headers).includes(spaces.token), 'the token reached the upstream');
  });

  test('a user without a credential of their own: the fixed upstream credential is added', async () => {
    await box.upstream.clear();
    const answer = await send(`${front().url}/rest/api/space`, {
      headers: { authorization: basic('alice', alice.token) },
    });
    assert.equal(answer.status, 200, answer.text);
    const [received] = await box.upstream.records();
    assert.equal(received?.headers['x-forwarded-user'], 'alice');
    assert.equal(received?.headers.authorization, `Bearer ${UPSTREAM_TOKEN}`);
  });

  test('denied: 403 request_denied, as the gateway answers, and nothing reaches the upstream', async () => {
    await box.upstream.clear();
    const auth = { authorization: basic('bob', spaces.token) };
    const viaProxy = await send(`${front().url}/rest/api/content/42`, { method: 'DELETE', headers: auth });
    const viaGateway = await send(`${box.url}/rest/api/content/42`, { method: 'DELETE', headers: auth });
    assert.equal(viaProxy.status, 403, viaProxy.text);
    assert.equal(viaProxy.json?.code, 'request_denied');
    assert.deepEqual(viaProxy.json, viaGateway.json);
    assert.deepEqual(await box.upstream.records(), []);
  });

  test('unauthenticated: 401 with the gateway’s code and a challenge; a wrong token too', async () => {
    await box.upstream.clear();
    const none = await send(`${front().url}/rest/api/space`);
    assert.equal(none.status, 401, none.text);
    assert.equal(none.json?.code, 'credentials_missing');
    assert.match(none.headers.get('www-authenticate') ?? '', /Basic realm="tokengate"/);
    const wrong = await send(`${front().url}/rest/api/space`, {
      headers: { authorization: basic('bob', `${spaces.token.slice(0, -4)}xxxx`) },
    });
    assert.equal(wrong.status, 401, wrong.text);
    assert.ok(['unknown_token', 'credentials_malformed'].includes(wrong.json?.code), wrong.text);
    assert.deepEqual(await box.upstream.records(), []);
  });

  test('revoked: a token deleted with the CLI is refused through the proxy within one second', async () => {
    const doomed = box.createToken(['--label', 'doomed', '--user', 'alice']);
    const headers = { authorization: basic('alice', doomed.token) };
    assert.equal((await send(`${front().url}/rest/api/space`, { headers })).status, 200);
    assert.equal(box.cli(['token', 'delete', doomed.id]).status, 0);
    const deadline = Date.now() + 1000;
    let status = 200;
    while (Date.now() < deadline) {
      status = (await send(`${front().url}/rest/api/space`, { headers })).status;
      if (status === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(status, 401);
  });

  test('a JsonData token is refused with the reason (a proxy sends no body), never allowed blindly', async () => {
    await box.upstream.clear();
    const answer = await send(`${front().url}/rest/api/content`, {
      method: 'POST',
      headers: { authorization: basic('bob', pages.token), 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'page', title: 'x' }),
    });
    assert.equal(answer.status, 403, answer.text);
    assert.equal(answer.json?.code, 'body_not_available');
    assert.match(answer.json?.message ?? '', /JsonData/);
    assert.deepEqual(await box.upstream.records(), []);
  });

  test('a form body is refused (its parameters cannot be judged), even for an unrestricted token', async () => {
    await box.upstream.clear();
    const answer = await send(`${front().url}/rest/api/content`, {
      method: 'POST',
      headers: { authorization: basic('alice', alice.token), 'content-type': 'application/x-www-form-urlencoded' },
      body: '_method=DELETE',
    });
    assert.equal(answer.status, 403, answer.text);
    assert.equal(answer.json?.code, 'body_not_available');
    assert.deepEqual(await box.upstream.records(), []);
  });

  test('a URL-override header the proxy would pass on is refused', async () => {
    await box.upstream.clear();
    const answer = await send(`${front().url}/rest/api/space`, {
      headers: { authorization: basic('bob', spaces.token), 'x-rewrite-url': '/rest/api/admin' },
    });
    assert.equal(answer.status, 403, answer.text);
    assert.equal(answer.json?.code, 'url_override_refused');
    assert.deepEqual(await box.upstream.records(), []);
  });

  test('a method override is refused as the gateway refuses it (400 method_override_refused)', async () => {
    await box.upstream.clear();
    const answer = await send(`${front().url}/rest/api/space?_method=DELETE`, {
      headers: { authorization: basic('bob', spaces.token) },
    });
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.json?.code, 'method_override_refused');
    assert.deepEqual(await box.upstream.records(), []);
  });

  for (const target of [
    '/rest/api/space/../content/42',
    '/rest/api/space/%2e%2e/content/42',
    '/rest/api/space/%2E%2E/content/42',
    '/rest/api/space/..;/content/42',
    '/rest/api/space;x=1/../content',
    '/rest/api/space/%2fcontent',
    '/rest/api/space/%252e%252e/content',
    '/rest/api//space',
    '/rest/api/space\\..\\content',
  ]) {
    test(`path trick ${target}: refused (never reaches the upstream), with the gateway's code`, async () => {
      await box.upstream.clear();
      const headers = { authorization: basic('bob', spaces.token) };
      const viaProxy = await rawGet(front().url, target, headers);
      const viaGateway = await rawGet(box.url, target, headers);
      const records = await box.upstream.records();
      if (records.length > 0) {
        // the proxy may pass a target on only when tokengate judged exactly that target
        assert.equal(viaGateway.status, 200, `${target} reached the upstream as ${records[0]?.url}`);
        assert.equal(records[0]?.url, target);
        return;
      }
      assert.ok(viaProxy.status >= 400 && viaProxy.status < 500, `${target}: ${viaProxy.status} ${viaProxy.body}`);
      let code: string | undefined;
      try {
        code = (JSON.parse(viaProxy.body) as { code?: string }).code;
      } catch {
        code = undefined; // refused by the proxy itself, before asking
      }
      if (code !== undefined) {
        assert.equal(viaProxy.status, viaGateway.status, `${target}: ${viaProxy.body}`);
        assert.equal(code, (JSON.parse(viaGateway.body) as { code?: string }).code);
      }
    });
  }

  test('every decision is recorded in the audit log with the original method and path', async () => {
    const headers = { authorization: basic('bob', spaces.token) };
    assert.equal((await send(`${front().url}/rest/api/space/AUDITED`, { headers })).status, 200);
    assert.equal((await send(`${front().url}/rest/api/content/AUDITED`, { method: 'PUT', headers })).status, 403);
    let lines: Array<{ method: string; path: string; decision: string }> = [];
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      const out = box.cli(['audit', '--json', '--user', 'bob', '--max', '200']);
      lines = out.stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { method: string; path: string; decision: string });
      if (lines.some((l) => l.path === '/rest/api/content/AUDITED')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(
      lines.some((l) => l.method === 'GET' && l.path === '/rest/api/space/AUDITED' && l.decision === 'allowed'),
    );
    assert.ok(
      lines.some((l) => l.method === 'PUT' && l.path === '/rest/api/content/AUDITED' && l.decision === 'denied'),
    );
  });
}

/**
 * Without any upstream credential: the decision answers no `Authorization`, and the proxy must
 * still not pass the client's (the token) on.
 */
export function withoutUpstreamCredential(startProxy: StartProxy): void {
  let bob: { id: string; token: string };
  let proxy: RunningFrontProxy | undefined;
  const box = useBlackBox({
    env: { TOKENGATE_DECISION_PORT: '0' },
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'bob']).status, 0);
      bob = b.createToken(['--label', 'bob', '--user', 'bob']);
    },
  });
  before(async () => {
    const decisionUrl = /decisions on (http:\/\/[^\s"]+)/.exec(box.gate.output())?.[1];
    assert.ok(decisionUrl, `tokengate did not print its decision listener:\n${box.gate.output()}`);
    proxy = await startProxy({ decision: new URL(decisionUrl).host, upstream: new URL(box.upstream.url).host });
  });
  after(async () => {
    await proxy?.stop();
  });

  test('the client’s Authorization (the token) never reaches the upstream', async () => {
    await box.upstream.clear();
    const url = proxy?.url ?? '';
    for (const path of ['/rest/api/space', '/rest/api/content/1']) {
      const answer = await send(`${url}${path}`, { headers: { authorization: basic('bob', bob.token) } });
      assert.equal(answer.status, 200, answer.text);
    }
    const records = await box.upstream.records();
    assert.equal(records.length, 2);
    for (const received of records) {
      assert.ok(!received.headers.authorization, `upstream got Authorization: ${received.headers.authorization}`);
      assert.equal(received.headers['x-forwarded-user'], 'bob');
      assert.ok(!JSON.stringify(received.headers).includes(bob.token), 'the token reached the upstream');
    }
  });
}
