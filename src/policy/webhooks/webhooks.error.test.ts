/**
 * Black-box: receivers that are down or failing. Events wait in the outbox and are retried with
 * backoff until the receiver takes them; token calls through the gateway answer as usual
 * meanwhile. Bad webhook configuration stops the start with a clear message.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../config/load-config.js';
import { useBlackBox } from '../../testing/black-box.js';
import { eventually } from '../../testing/cluster.js';
import { basic, call } from '../../testing/http.js';
import { runServeUntilExit, tempDir } from '../../testing/processes.js';
import {
  accepted,
  startWebhookReceiver,
  validSignature,
  type WebhookReceiver,
} from '../../testing/webhook-receiver.js';

const TOOLS = '/rest/extender/1.0/tokenTools';
const SECRET = 'down-receiver-secret';

describe('webhooks: a receiver that is down or failing', () => {
  let down: WebhookReceiver;
  let failing: WebhookReceiver;
  let adminAuth = '';
  const overrides: Record<string, unknown> = {};
  before(async () => {
    down = await startWebhookReceiver({ listen: false });
    failing = await startWebhookReceiver();
    failing.answerWith(500);
    overrides.webhooks = {
      receivers: [
        { url: down.url, secret: SECRET, events: ['token.created'] },
        { url: failing.url, secret: SECRET, events: ['token.created'] },
      ],
      pollMs: 50,
      retryBaseMs: 50,
      retryMaxMs: 300,
      timeoutMs: 2000,
    };
  });
  after(async () => {
    await down.stop();
    await failing.stop();
  });
  const box = useBlackBox({
    server: 'in-process',
    overrides,
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'root', '--admin']).status, 0);
      adminAuth = basic('root', b.createToken(['--label', 'admin', '--user', 'root']).token);
    },
  });

  test('events are retried until the receiver is up; token calls keep answering meanwhile', async () => {
    const created = await call(box.url, `${TOOLS}/set`, { auth: adminAuth, body: { label: 'while down' } });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    const id = created.json.id as string;
    const auth = basic('root', created.json.token);

    // the failing receiver is tried again and again (each attempt answered 500)
    await eventually('several attempts at the failing receiver', 15_000, async () => {
      return failing.received.filter((e) => e.json?.token?.id === id).length >= 3;
    });
    for (let i = 0; i < 10; i++) {
      const answer = await call(box.url, '/rest/api/space', { auth });
      assert.equal(answer.status, 200, 'a token call while receivers fail');
    }
    assert.equal(accepted(down, 'token.created', id).length, 0);

    await down.start();
    failing.answerWith(204);
    await eventually('the receiver that came up gets the event', 15_000, async () => {
      return accepted(down, 'token.created', id).length > 0;
    });
    await eventually('the receiver that recovered gets the event', 15_000, async () => {
      return accepted(failing, 'token.created', id).length > 0;
    });
    const [late] = accepted(down, 'token.created', id);
    assert.ok(late && validSignature(late.raw, late.headers['x-tokengate-signature'], SECRET));
    // retries of one event carry the same body (and so the same event id)
    const bodies = new Set(failing.received.filter((e) => e.json?.token?.id === id).map((e) => e.raw.toString()));
    assert.equal(bodies.size, 1);
    assert.equal((await call(box.url, '/rest/api/space', { auth })).status, 200);

    // the metrics count both: the failed attempts and the deliveries
    const metrics = await (await fetch(`${box.url}/metrics`)).text();
    const count = (outcome: string) =>
      Number(
        new RegExp(`^tokengate_webhook_deliveries_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(metrics)?.[1],
      );
    assert.ok(count('failed') >= 3, `failed attempts counted: ${count('failed')}`);
    assert.ok(count('delivered') >= 2, `deliveries counted: ${count('delivered')}`);
    assert.equal(count('given_up'), 0);
  });
});

describe('webhooks configuration errors', () => {
  const load = (webhooks: unknown, env: Record<string, string> = {}) =>
    loadConfig({ env, overrides: webhooks === undefined ? {} : { webhooks } });
  const errorsOf = (webhooks: unknown, env: Record<string, string> = {}): string => {
    const loaded = load(webhooks, env);
    assert.equal(loaded.ok, false, 'the configuration must be refused');
    return loaded.ok ? '' : loaded.errors.join('\n');
  };

  test('both shapes are accepted: a list of receivers, or {receivers, expiringDays}', () => {
    const list = load([{ url: 'https://hooks.example.com/a', secret: 's', events: ['token.created'] }]);
    assert.ok(list.ok);
    assert.deepEqual(list.config.webhooks.receivers, [
      { url: 'https://hooks.example.com/a', secret: 's', events: ['token.created'] },
    ]);
    assert.deepEqual(list.config.webhooks.expiringDays, [7, 1]);
    const object = load({ receivers: [{ url: 'https://hooks.example.com/b', secret: 's' }], expiringDays: [1, 14] });
    assert.ok(object.ok);
    assert.equal(object.config.webhooks.receivers[0]?.events, null, 'no events: every event');
    assert.deepEqual(object.config.webhooks.expiringDays, [14, 1]);
  });

  test('a bad URL, an empty secret, an unknown event and a bad expiringDays are refused, each named', () => {
    assert.match(errorsOf([{ url: 'not a url', secret: 's' }]), /webhooks\.receivers\[0\]\.url: must be a URL/);
    assert.match(errorsOf([{ url: 'ftp://x.example.com', secret: 's' }]), /must start with http/);
    assert.match(errorsOf([{ url: 'https://h.example.com', secret: '' }]), /secret: must not be empty/);
    assert.match(errorsOf([{ url: 'https://h.example.com' }]), /secret: is required/);
    assert.match(
      errorsOf([{ url: 'https://h.example.com', secret: 's', events: ['token.made'] }]),
      /unknown event "token\.made": use token\.created, token\.deleted/,
    );
    assert.match(errorsOf({ receivers: [], expiringDays: [0] }), /expiringDays\[0\]: must be more than 0 days/);
    assert.match(errorsOf('https://h.example.com'), /webhooks: must be a list of receivers/);
    assert.match(errorsOf({ receivers: [], expiringdays: [1] }), /unknown option "webhooks\.expiringdays"/);
    assert.match(
      errorsOf([
        { url: 'https://h.example.com/x', secret: 'a' },
        { url: 'https://h.example.com/x', secret: 'b' },
      ]),
      /listed twice/,
    );
  });

  test('TOKENGATE_WEBHOOK_URL and TOKENGATE_WEBHOOK_SECRET give one receiver, added to the file\u2019s', () => {
    const dir = tempDir();
    const file = join(dir.path, 'tokengate.json');
    writeFileSync(file, JSON.stringify({ webhooks: [{ url: 'https://hooks.example.com/file', secret: 'f' }] }));
    const loaded = loadConfig({
      file,
      env: {
        TOKENGATE_WEBHOOK_URL: 'https://hooks.example.com/env',
        TOKENGATE_WEBHOOK_SECRET: 'e',
        TOKENGATE_WEBHOOK_EXPIRING_DAYS: '3, 1',
      },
    });
    dir.remove();
    assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.join('; '));
    assert.deepEqual(
      loaded.config.webhooks.receivers.map((r) => r.url),
      ['https://hooks.example.com/file', 'https://hooks.example.com/env'],
    );
    assert.deepEqual(loaded.config.webhooks.expiringDays, [3, 1]);
    assert.deepEqual(loaded.warnings, [], 'the webhook variables are known');
    assert.match(
      errorsOf(undefined, { TOKENGATE_WEBHOOK_URL: 'not a url', TOKENGATE_WEBHOOK_SECRET: 'e' }),
      /webhooks\.receivers\[0\]\.url: must be a URL.*\(from TOKENGATE_WEBHOOK_URL and TOKENGATE_WEBHOOK_SECRET\)/,
    );
    assert.match(
      errorsOf(undefined, { TOKENGATE_WEBHOOK_EXPIRING_DAYS: 'soon' }),
      /expiringDays\[0\]: must be a number/,
    );
  });

  test('`tokengate serve` with TOKENGATE_WEBHOOK_URL but no secret does not start', async () => {
    const dir = tempDir();
    try {
      const run = await runServeUntilExit({
        dataDir: dir.path,
        upstream: 'http://127.0.0.1:9',
        env: { TOKENGATE_WEBHOOK_URL: 'https://hooks.example.com/x' },
      });
      assert.equal(run.listened, false);
      assert.notEqual(run.code, 0);
      assert.match(run.output, /TOKENGATE_WEBHOOK_URL is set but TOKENGATE_WEBHOOK_SECRET is not/);
    } finally {
      dir.remove();
    }
  });
});
