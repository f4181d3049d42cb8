/**
 * Black-box: tokengate (in-process, for its clock) on SQLite with a real webhook receiver. Each
 * token event reaches the receiver signed with its secret, with no secret in the body.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { useBlackBox } from '../../testing/black-box.js';
import { assertOk, runCliAsync } from '../../testing/cli.js';
import { eventually } from '../../testing/cluster.js';
import { basic, call } from '../../testing/http.js';
import {
  accepted,
  startWebhookReceiver,
  validSignature,
  type WebhookReceiver,
} from '../../testing/webhook-receiver.js';

const TOOLS = '/rest/extender/1.0/tokenTools';
const SECRET = 'receiver-secret-7f3a';
const HOUR = 3_600_000;

/** One GET through the gateway from `localAddress` (another loopback address is another client). */
function callFrom(base: string, path: string, auth: string, localAddress: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, localAddress, headers: { authorization: auth } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('webhooks: every token event reaches the receiver, signed', () => {
  let receiver: WebhookReceiver;
  let offset = 0;
  let adminAuth = '';
  const overrides: Record<string, unknown> = {};
  before(async () => {
    receiver = await startWebhookReceiver();
    overrides.webhooks = {
      receivers: [{ url: receiver.url, secret: SECRET }],
      expiringDays: [0.5],
      pollMs: 50,
      scanMs: 50,
      retryBaseMs: 50,
      retryMaxMs: 500,
    };
  });
  // the receiver's server would keep this test file's process alive
  after(() => receiver?.stop());
  const box = useBlackBox({
    server: 'in-process',
    overrides,
    now: () => Date.now() + offset,
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'root', '--admin']).status, 0);
      assert.equal(b.cli(['user', 'add', 'ansible']).status, 0);
      adminAuth = basic('root', b.createToken(['--label', 'admin', '--user', 'root']).token);
    },
  });

  const create = async (body: Record<string, unknown>): Promise<{ id: string; token: string; auth: string }> => {
    const created = await call(box.url, `${TOOLS}/set`, { auth: adminAuth, body: { userName: 'ansible', ...body } });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    return { id: created.json.id, token: created.json.token, auth: basic('ansible', created.json.token) };
  };
  const arrives = (type: string, tokenId: string) =>
    eventually(`${type} of ${tokenId}`, 10_000, async () => accepted(receiver, type, tokenId).length > 0);

  test('token.created arrives with a valid signature, the event header and no secret in the body', async () => {
    const token = await create({ label: 'ci deploy', daysUntilExpiry: 30 });
    await arrives('token.created', token.id);
    const [event] = accepted(receiver, 'token.created', token.id);
    assert.ok(event);
    assert.ok(validSignature(event.raw, event.headers['x-tokengate-signature'], SECRET), 'HMAC of the exact body');
    assert.equal(validSignature(event.raw, event.headers['x-tokengate-signature'], 'another secret'), false);
    assert.equal(event.headers['x-tokengate-event'], 'token.created');
    assert.match(String(event.headers['content-type']), /^application\/json/);
    assert.equal(typeof event.json.id, 'string');
    assert.ok(!Number.isNaN(Date.parse(event.json.time)));
    assert.deepEqual(event.json.token, { id: token.id, label: 'ci deploy', user: 'ansible' });
    const text = event.raw.toString('utf8');
    assert.equal(text.includes(token.token), false, 'the token secret is not in the body');
    assert.equal(text.includes(SECRET), false, 'the receiver secret is not in the body');
  });

  test('token.deleted and token.rotated arrive', async () => {
    const doomed = await create({ label: 'to delete' });
    const deleted = await call(box.url, `${TOOLS}/delete`, {
      auth: adminAuth,
      method: 'DELETE',
      body: { id: doomed.id },
    });
    assert.equal(deleted.status, 200, JSON.stringify(deleted.json));
    await arrives('token.deleted', doomed.id);

    const old = await create({ label: 'to rotate' });
    const rotated = await call(box.url, `${TOOLS}/rotate`, { auth: adminAuth, body: { id: old.id, graceMinutes: 5 } });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.json));
    const newId = rotated.json.id as string;
    await arrives('token.rotated', newId);
    const [event] = accepted(receiver, 'token.rotated', newId);
    assert.equal(event?.json.previousTokenId, old.id);
    assert.equal(event?.json.graceMinutes, 5);
    assert.equal(event?.raw.toString('utf8').includes(rotated.json.token), false);
  });

  test('token.created from the CLI arrives too (the event is in the database, not in the front end)', async () => {
    const made = box.createToken(['--label', 'from the cli', '--user', 'ansible']);
    await arrives('token.created', made.id);
  });

  test('token.deleted arrives for each token of a user deleted with the CLI (user delete --yes)', async () => {
    assertOk(await runCliAsync(['user', 'add', 'leaver'], { dataDir: box.dataDir }));
    const made: { id: string }[] = [];
    for (let i = 0; i < 2; i += 1) {
      const args = ['token', 'create', '--json', '--label', 'of a leaver', '--user', 'leaver'];
      made.push(JSON.parse(assertOk(await runCliAsync(args, { dataDir: box.dataDir }))));
    }
    assertOk(await runCliAsync(['user', 'delete', 'leaver', '--yes'], { dataDir: box.dataDir }));
    for (const token of made) {
      await arrives('token.deleted', token.id);
      const [event] = accepted(receiver, 'token.deleted', token.id);
      assert.deepEqual(event?.json.token, { id: token.id, label: 'of a leaver', user: 'leaver' });
      assert.equal(event?.json.reason, 'user deleted');
      assert.equal(event?.json.by, 'cli');
    }
  });

  test('token.quota_exhausted arrives when a call uses the last call of the quota', async () => {
    const token = await create({ label: 'two calls', quota: 2 });
    assert.equal((await call(box.url, '/rest/api/space', { auth: token.auth })).status, 200);
    assert.equal(accepted(receiver, 'token.quota_exhausted', token.id).length, 0);
    assert.equal((await call(box.url, '/rest/api/space', { auth: token.auth })).status, 200);
    await arrives('token.quota_exhausted', token.id);
    assert.equal(accepted(receiver, 'token.quota_exhausted', token.id)[0]?.json.quota, 2);
  });

  test('token.new_address arrives for each address a token is first used from, once', async () => {
    const token = await create({ label: 'two places' });
    assert.equal(await callFrom(box.url, '/rest/api/space', token.auth, '127.0.0.1'), 200);
    await eventually('new address 127.0.0.1', 10_000, async () =>
      accepted(receiver, 'token.new_address', token.id).some((e) => e.json.address === '127.0.0.1'),
    );
    assert.equal(await callFrom(box.url, '/rest/api/space', token.auth, '127.0.0.1'), 200);
    assert.equal(await callFrom(box.url, '/rest/api/space', token.auth, '127.0.0.2'), 200);
    await eventually('new address 127.0.0.2', 10_000, async () =>
      accepted(receiver, 'token.new_address', token.id).some((e) => e.json.address === '127.0.0.2'),
    );
    const addresses = accepted(receiver, 'token.new_address', token.id).map((e) => e.json.address);
    assert.deepEqual(addresses.sort(), ['127.0.0.1', '127.0.0.2'], 'the second call from 127.0.0.1 is no event');
  });

  test('token.expiring arrives at the mark before expiry, token.expired once it expired', async () => {
    const token = await create({ label: 'short lived', daysUntilExpiry: 1 });
    await arrives('token.created', token.id);
    assert.equal(accepted(receiver, 'token.expiring', token.id).length, 0);
    offset += 13 * HOUR; // past the mark half a day before expiry
    await arrives('token.expiring', token.id);
    const [expiring] = accepted(receiver, 'token.expiring', token.id);
    assert.equal(expiring?.json.daysBefore, 0.5);
    assert.ok(validSignature(expiring?.raw ?? Buffer.alloc(0), expiring?.headers['x-tokengate-signature'], SECRET));
    assert.equal(accepted(receiver, 'token.expired', token.id).length, 0);
    offset += 12 * HOUR;
    await arrives('token.expired', token.id);
    assert.equal(accepted(receiver, 'token.expiring', token.id).length, 1, 'every scan finds it, one event');
  });
});
