/**
 * The middleware in a real Express 5 app over a real SQLite database: an allowed token reaches the
 * handler with its identity, a denied one gets the gateway's 403 and the handler never runs, no
 * credentials get 401 with a challenge, a JsonData rule reads the body and the handler gets that
 * very body, and every call is in the audit log.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import express from 'express';
import { basic, call } from '../testing/http.js';
import { auditRecords, useLibrary } from './lib.test-helpers.js';

describe('tokengate middleware in an Express app', () => {
  let reader: { id: string; token: string };
  let writer: { id: string; token: string };
  let mounted: { id: string; token: string };
  /** Each request the app's handlers served: what they saw. */
  const served: { path: string; user: string | undefined; body: unknown; raw: string | null }[] = [];
  const lib = useLibrary({
    setup: (box) => {
      assert.equal(box.cli(['user', 'add', 'alice']).status, 0);
      reader = box.createToken(['--label', 'reader', '--user', 'alice', '--limit-to', '[GET].*/api/items.*']);
      writer = box.createToken([
        '--label',
        'writer',
        '--user',
        'alice',
        '--limit-to',
        '[POST].*/api/items[JsonData::type==page]',
      ]);
      // a rule on the whole URL: only the path below the mount point matches it
      mounted = box.createToken(['--label', 'mounted', '--user', 'alice', '--limit-to', '[GET]https?://[^/]+/items']);
    },
    app: (tg) => {
      const app = express();
      app.use('/v2', tg.middleware({ path: 'mounted' }), (req, res) => {
        res.json({ user: req.tokengate?.user, path: req.tokengate?.path });
      });
      app.use('/api', tg.middleware());
      // a body parser after the middleware: it leaves alone a body tokengate already read
      app.use(express.json());
      app.get('/api/items', (req, res) => {
        served.push({ path: req.path, user: req.tokengate?.user, body: req.body, raw: null });
        res.json({ items: ['a'], user: req.tokengate?.user, label: req.tokengate?.label, id: req.tokengate?.tokenId });
      });
      app.post('/api/items', (req, res) => {
        served.push({
          path: req.path,
          user: req.tokengate?.user,
          body: req.body,
          raw: req.tokengate?.rawBody?.toString('utf8') ?? null,
        });
        res.status(201).json({ created: req.body });
      });
      return app;
    },
  });

  test('an allowed token reaches the handler with the caller attached', async () => {
    const answer = await call(lib.url, '/api/items?x=1', { auth: basic('alice', reader.token) });
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    assert.deepEqual(answer.json, { items: ['a'], user: 'alice', label: 'reader', id: reader.id });
  });

  test('a denied token gets the gateway 403 JSON and the handler never runs', async () => {
    const before = served.length;
    const answer = await call(lib.url, '/api/items', { auth: basic('alice', writer.token) });
    assert.equal(answer.status, 403);
    assert.equal(answer.json.status, 'error');
    assert.match(answer.json.message, /token "writer" does not allow this request/);
    assert.equal(served.length, before);
  });

  test('no credentials: 401 with WWW-Authenticate, the handler never runs', async () => {
    const before = served.length;
    const answer = await call(lib.url, '/api/items');
    assert.equal(answer.status, 401);
    assert.match(answer.headers.get('www-authenticate') ?? '', /^Basic realm="tokengate"/);
    assert.equal(answer.json.status, 'error');
    assert.equal(served.length, before);
  });

  test('a JsonData rule: the handler gets the very body that was checked, on req.body and as raw bytes', async () => {
    const text = '{"type":"page","title":"T"}';
    const answer = await call(lib.url, '/api/items', { auth: basic('alice', writer.token), body: text });
    assert.equal(answer.status, 201, JSON.stringify(answer.json));
    assert.deepEqual(answer.json, { created: { type: 'page', title: 'T' } });
    const seen = served.at(-1);
    assert.equal(seen?.raw, text);
    assert.deepEqual(seen?.body, { type: 'page', title: 'T' });
  });

  test('a body the JsonData rule refuses is 403 and the handler never runs', async () => {
    const before = served.length;
    const answer = await call(lib.url, '/api/items', { auth: basic('alice', writer.token), body: { type: 'blog' } });
    assert.equal(answer.status, 403);
    assert.match(answer.json.message, /JSON node "type" value "blog" does not match/);
    assert.equal(served.length, before);
  });

  test('each call is in the audit log: allowed with the app status, denied and unauthenticated with the reason', async () => {
    const allowed = await auditRecords(lib.tg, { tokenId: writer.id, decision: 'allowed' });
    assert.equal(allowed[0]?.upstreamStatus, 201);
    assert.equal(allowed[0]?.path, '/api/items');
    assert.equal(allowed[0]?.user, 'alice');
    assert.equal(allowed[0]?.reason, 'allowed by line 1');
    const denied = await auditRecords(lib.tg, { tokenId: writer.id, decision: 'denied' }, 2);
    assert.ok(denied.every((record) => record.upstreamStatus === null));
    const readerAllowed = await auditRecords(lib.tg, { tokenId: reader.id, decision: 'allowed' });
    assert.equal(readerAllowed[0]?.query, 'x=1');
    await auditRecords(lib.tg, { decision: 'unauthenticated', path: '/api/items' });
  });

  test("path: 'mounted' judges the path below the mount point", async () => {
    const below = await call(lib.url, '/v2/items', { auth: basic('alice', mounted.token) });
    assert.equal(below.status, 200, JSON.stringify(below.json));
    assert.deepEqual(below.json, { user: 'alice', path: '/items' });
    // the same token on the full path (the default) is denied: the rule names /items, not /api/items
    const full = await call(lib.url, '/api/items', { auth: basic('alice', mounted.token) });
    assert.equal(full.status, 403);
  });
});
