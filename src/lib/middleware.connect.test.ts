/** The middleware in a real Connect 3 app: allowed with the caller attached, denied 403, no credentials 401. */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import connect from 'connect';
import { basic, call } from '../testing/http.js';
import type { TokengateRequest } from './index.js';
import { auditRecords, useLibrary } from './lib.test-helpers.js';

describe('tokengate middleware in a Connect app', () => {
  let token: { id: string; token: string };
  let handled = 0;
  const lib = useLibrary({
    setup: (box) => {
      assert.equal(box.cli(['user', 'add', 'bob']).status, 0);
      token = box.createToken(['--label', 'report', '--user', 'bob', '--limit-to', '[GET].*/reports/daily']);
    },
    app: (tg) => {
      const app = connect();
      app.use(tg.middleware());
      app.use('/reports', (req: IncomingMessage, res: ServerResponse) => {
        const { tokengate } = req as TokengateRequest;
        handled++;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ user: tokengate?.user, path: tokengate?.path }));
      });
      return app;
    },
  });

  test('an allowed call reaches the handler with the caller attached', async () => {
    const answer = await call(lib.url, '/reports/daily', { auth: basic('bob', token.token) });
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    assert.deepEqual(answer.json, { user: 'bob', path: '/reports/daily' });
    const [record] = await auditRecords(lib.tg, { tokenId: token.id, decision: 'allowed' });
    assert.equal(record?.upstreamStatus, 200);
  });

  test('a path the rules do not allow is 403 and the handler never runs', async () => {
    const before = handled;
    const answer = await call(lib.url, '/reports/monthly', { auth: basic('bob', token.token) });
    assert.equal(answer.status, 403);
    assert.match(answer.json.message, /token "report" does not allow this request/);
    assert.equal(handled, before);
  });

  test('a wrong secret is 401 with WWW-Authenticate and the handler never runs', async () => {
    const before = handled;
    const answer = await call(lib.url, '/reports/daily', { auth: basic('bob', 'tgp_not-a-token') });
    assert.equal(answer.status, 401);
    assert.match(answer.headers.get('www-authenticate') ?? '', /Basic realm="tokengate"/);
    assert.equal(handled, before);
  });
});
