/**
 * Black-box against a real REST API nobody here wrote: RabbitMQ's management HTTP API (a node
 * of the test's own, with the management plugin), behind tokengate with `protect: /api/`,
 * pass-through on and `encodedSlash: keep` (a vhost "/" is `%2F` in its paths).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTokenWithCli, runCli } from '../testing/cli.js';
import { basic } from '../testing/http.js';
import { type RunningTokengate, startTokengate, tempDir } from '../testing/processes.js';
import { missing, RABBITMQ_SERVER, type RunningRabbitMq, startRabbitMq } from '../testing/real-servers.js';

const ALICE_PASSWORD = 'alice-rabbit-pw-31';

describe('in front of RabbitMQ management', { timeout: 180_000 }, () => {
  const dir = tempDir();
  const rabbitDir = tempDir('tokengate-rabbitmq-');
  let rabbit: RunningRabbitMq;
  let gate: RunningTokengate;
  let orders: { id: string; token: string };
  let bobs: { id: string; token: string };

  before(async () => {
    const absent = missing(RABBITMQ_SERVER);
    if (absent !== false) throw new Error(absent);
    rabbit = await startRabbitMq(rabbitDir.path);
    // RabbitMQ's own users: alice (monitoring), and the queues of vhost "/"
    assert.equal(
      (await rabbit.admin('PUT', '/api/users/alice', { password: ALICE_PASSWORD, tags: 'monitoring' })).status,
      201,
    );
    assert.equal(
      (await rabbit.admin('PUT', '/api/permissions/%2F/alice', { configure: '', write: '', read: '.*' })).status,
      201,
    );
    for (const queue of ['orders', 'payroll']) {
      assert.equal((await rabbit.admin('PUT', `/api/queues/%2F/${queue}`, { durable: false })).status, 201);
    }
    for (const user of ['alice', 'bob']) assert.equal(runCli(['user', 'add', user], { dataDir: dir.path }).status, 0);
    orders = createTokenWithCli(dir.path, [
      '--label',
      'orders monitor',
      '--user',
      'alice',
      '--limit-to',
      '[GET]/api/queues/%2F/orders\\n[GET]/api/whoami',
    ]);
    bobs = createTokenWithCli(dir.path, ['--label', 'bob', '--user', 'bob', '--limit-to', '[GET]/api/whoami']);
    const set = runCli(['user', 'upstream-credential', 'alice', '--type', 'basic'], {
      dataDir: dir.path,
      input: `alice:${ALICE_PASSWORD}\n`,
    });
    assert.equal(set.status, 0, set.stderr);
    gate = await startTokengate({
      dataDir: dir.path,
      upstream: rabbit.url,
      env: {
        TOKENGATE_PROTECT: '/api/',
        TOKENGATE_PASSTHROUGH: 'true',
        TOKENGATE_ENCODED_SLASH: 'keep',
        // users without their own credential reach RabbitMQ as its built-in administrator
        TOKENGATE_UPSTREAM_USERNAME: 'guest',
        TOKENGATE_UPSTREAM_PASSWORD: 'guest',
        TOKENGATE_IDENTITY_HEADER: '',
      },
    });
  });

  after(async () => {
    await gate?.stop();
    await rabbit?.stop();
    dir.remove();
    rabbitDir.remove();
  });

  test('a restricted token is allowed and denied as its rules say; %2F (vhost "/") works with keep', async () => {
    const auth = { authorization: basic('alice', orders.token) };
    const allowed = await fetch(`${gate.url}/api/queues/%2F/orders`, { headers: auth });
    assert.equal(allowed.status, 200);
    const queue = (await allowed.json()) as { name: string; vhost: string };
    assert.equal(queue.name, 'orders');
    assert.equal(queue.vhost, '/');
    const other = await fetch(`${gate.url}/api/queues/%2F/payroll`, { headers: auth });
    assert.equal(other.status, 403);
    assert.equal(((await other.json()) as { code: string }).code, 'request_denied');
    const purge = await fetch(`${gate.url}/api/queues/%2F/orders/contents`, { method: 'DELETE', headers: auth });
    assert.equal(purge.status, 403);
    assert.equal((await rabbit.admin('GET', '/api/queues/%2F/orders')).status, 200, 'the queue is still there');
  });

  test("a user's own upstream credential reaches RabbitMQ as that user (its whoami)", async () => {
    const alice = await fetch(`${gate.url}/api/whoami`, { headers: { authorization: basic('alice', orders.token) } });
    assert.equal(alice.status, 200);
    assert.equal(((await alice.json()) as { name: string }).name, 'alice');
    // bob has none: the fixed service credential
    const bob = await fetch(`${gate.url}/api/whoami`, { headers: { authorization: basic('bob', bobs.token) } });
    assert.equal(((await bob.json()) as { name: string }).name, 'guest');
  });

  test('its UI and its own password login pass through unchanged', async () => {
    const ui = await fetch(`${gate.url}/`);
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /RabbitMQ Management/);
    const script = await fetch(`${gate.url}/js/main.js`);
    assert.equal(script.status, 200);
    // the UI's login: its own Basic password, straight to RabbitMQ
    const login = await fetch(`${gate.url}/api/whoami`, { headers: { authorization: basic('alice', ALICE_PASSWORD) } });
    assert.equal(login.status, 200);
    assert.equal(((await login.json()) as { name: string }).name, 'alice');
    const wrong = await fetch(`${gate.url}/api/whoami`, { headers: { authorization: basic('alice', 'not it') } });
    assert.equal(wrong.status, 401);
    const body = (await wrong.json()) as { error?: string; code?: string };
    assert.equal(body.code, undefined, "RabbitMQ's own 401, not tokengate's");
    assert.equal(body.error, 'not_authorized');
    // a revoked-looking tokengate secret never reaches RabbitMQ as a password guess
    const prefixed = await fetch(`${gate.url}/api/whoami`, {
      headers: { authorization: basic('alice', `tgp_${'a'.repeat(36)}`) },
    });
    assert.equal(((await prefixed.json()) as { code?: string }).code, 'unknown_token');
  });
});
