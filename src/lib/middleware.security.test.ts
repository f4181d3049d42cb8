/**
 * Middleware mode judges what the app acts on: a path the app would route differently from the
 * canonical one is refused, a form body's parameters are judged and handed over as read (no second
 * parse), method overrides are refused, tokengate's admin API is never reached through it, and
 * the secret is never on `req.tokengate`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import express from 'express';
import { basic, call, rawGet } from '../testing/http.js';
import { useLibrary } from './lib.test-helpers.js';

describe('tokengate middleware: what is checked is what the app acts on', () => {
  let token: { id: string; token: string };
  let open: { id: string; token: string };
  const seen: { path: string; body: unknown; identity: string }[] = [];
  const lib = useLibrary({
    setup: (box) => {
      assert.equal(box.cli(['user', 'add', 'dave']).status, 0);
      token = box.createToken([
        '--label',
        'forms',
        '--user',
        'dave',
        '--limit-to',
        '[POST].*/forms[QueryParam::kind==safe]\n[GET].*/public/.*',
      ]);
      open = box.createToken(['--label', 'open', '--user', 'dave']);
    },
    app: (tg) => {
      const app = express();
      app.use(tg.middleware());
      app.use(express.urlencoded());
      app.all('/{*rest}', (req, res) => {
        seen.push({ path: req.path, body: req.body, identity: JSON.stringify(req.tokengate) });
        res.status(404).json({ app: 'not here' });
      });
      app.post('/forms', (_req, res) => res.json({}));
      return app;
    },
  });

  test('a path sent with an escaped letter is refused (400): the app would route it as sent', async () => {
    const before = seen.length;
    const answer = await rawGet(lib.url, '/public/%61bc', { authorization: basic('dave', token.token) });
    assert.equal(answer.status, 400, answer.body);
    assert.match(answer.body, /canonical form/);
    assert.equal(seen.length, before);
  });

  test('an escape of a reserved byte in another letter case is the same path: allowed', async () => {
    const answer = await rawGet(lib.url, '/public/a%c3%a9', { authorization: basic('dave', token.token) });
    assert.equal(answer.status, 404, answer.body);
    assert.equal(seen.at(-1)?.path, '/public/a%c3%a9');
  });

  test('a form body is judged with the query and handed to the app as read', async () => {
    // the rules must hold whether the app reads the body's parameters or only the query's
    const answer = await call(lib.url, '/forms?kind=safe', {
      auth: basic('dave', token.token),
      body: 'kind=safe&note=hello+there',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(answer.status, 404, JSON.stringify(answer.json));
    const last = seen.at(-1);
    assert.deepEqual({ ...(last?.body as object) }, { kind: 'safe', note: 'hello there' });
  });

  test('a form body with a second value the rule refuses is 403, the app never sees it', async () => {
    const before = seen.length;
    const answer = await call(lib.url, '/forms?kind=safe', {
      auth: basic('dave', token.token),
      body: 'kind=evil',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    assert.equal(seen.length, before);
  });

  test('a method override header is refused (400), the app never sees it', async () => {
    const before = seen.length;
    const answer = await call(lib.url, '/public/x', {
      auth: basic('dave', open.token),
      headers: { 'x-http-method-override': 'DELETE' },
    });
    assert.equal(answer.status, 400, JSON.stringify(answer.json));
    assert.equal(seen.length, before);
  });

  test("tokengate's admin API is not served through the middleware: the call is the app's", async () => {
    const answer = await call(lib.url, '/rest/extender/1.0/tokenTools/get', { auth: basic('dave', open.token) });
    assert.equal(answer.status, 404);
    assert.deepEqual(answer.json, { app: 'not here' });
  });

  test('the secret is never on req.tokengate', async () => {
    await call(lib.url, '/public/y', { auth: basic('dave', open.token) });
    const identity = seen.at(-1)?.identity ?? '';
    assert.match(identity, /"user":"dave"/);
    assert.ok(!identity.includes(open.token));
  });
});
