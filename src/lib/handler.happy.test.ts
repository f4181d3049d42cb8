/**
 * `http.createServer(tg.handler)`: the whole gateway in the embedding server, in front of a real
 * upstream process — an allowed call is forwarded, the admin API is served.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { basic, call } from '../testing/http.js';
import { auditRecords, useLibrary } from './lib.test-helpers.js';

describe('the node:http handler', () => {
  let token: { id: string; token: string };
  let admin: { id: string; token: string };
  const lib = useLibrary({
    upstream: true,
    setup: (box) => {
      assert.equal(box.cli(['user', 'add', 'carol']).status, 0);
      assert.equal(box.cli(['user', 'add', 'root', '--admin']).status, 0);
      token = box.createToken(['--label', 'spaces', '--user', 'carol', '--limit-to', '[GET].*/rest/api/space.*']);
      admin = box.createToken(['--label', 'admin', '--user', 'root']);
    },
    app: (tg) => tg.handler,
  });

  test('an allowed call is forwarded to the upstream with the identity header, without the token', async () => {
    const answer = await call(lib.url, '/rest/api/space?limit=5', { auth: basic('carol', token.token) });
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    assert.deepEqual(answer.json, { ok: true, method: 'GET', url: '/rest/api/space?limit=5', bodyLength: 0 });
    const received = (await lib.upstream.records()).at(-1);
    assert.equal(received?.headers['x-forwarded-user'], 'carol');
    assert.equal(received?.headers.authorization, undefined);
    const [record] = await auditRecords(lib.tg, { tokenId: token.id, decision: 'allowed' });
    assert.equal(record?.upstreamStatus, 200);
  });

  test('a call the rules refuse is not forwarded', async () => {
    const answer = await call(lib.url, '/rest/api/content', { auth: basic('carol', token.token) });
    assert.equal(answer.status, 403);
    assert.equal(answer.json.status, 'error');
  });

  test('the admin API is served by the handler', async () => {
    const answer = await call(lib.url, '/rest/extender/1.0/tokenTools/get', { auth: basic('root', admin.token) });
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    const labels = (answer.json.tokens as { label: string }[]).map((each) => each.label).sort();
    assert.deepEqual(labels, ['admin', 'spaces']);
  });
});
