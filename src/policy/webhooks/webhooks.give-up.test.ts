/**
 * Black-box: `tokengate serve` (a real process, its log read) with a receiver that always
 * answers 500 and `maxAttempts: 3`: the event is tried exactly three times, then given up and
 * the give-up is logged without the receiver's secret or query.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../testing/cli.js';
import { eventually, sleep } from '../../testing/cluster.js';
import { basic, call } from '../../testing/http.js';
import { type RunningTokengate, startTokengate, tempDir } from '../../testing/processes.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver.js';

const TOOLS = '/rest/extender/1.0/tokenTools';
const SECRET = 'give-up-secret-51c2';

describe('webhooks: a receiver that never accepts is given up after maxAttempts', () => {
  const dir = tempDir();
  let receiver: WebhookReceiver;
  let gate: RunningTokengate;
  let adminAuth = '';

  before(async () => {
    receiver = await startWebhookReceiver();
    receiver.answerWith(500);
    const file = join(dir.path, 'tokengate.json');
    writeFileSync(
      file,
      JSON.stringify({
        logLevel: 'warn',
        webhooks: {
          receivers: [{ url: `${receiver.url}?key=query-key-9d1`, secret: SECRET, events: ['token.created'] }],
          maxAttempts: 3,
          pollMs: 50,
          retryBaseMs: 50,
          retryMaxMs: 100,
        },
      }),
    );
    assert.equal(runCli(['user', 'add', 'root', '--admin'], { dataDir: dir.path }).status, 0);
    const made = runCli(['token', 'create', '--json', '--label', 'admin', '--user', 'root'], { dataDir: dir.path });
    assert.equal(made.status, 0, made.stderr);
    adminAuth = basic('root', JSON.parse(made.stdout).token);
    gate = await startTokengate({ dataDir: dir.path, upstream: 'http://127.0.0.1:9', args: ['--config', file] });
  });
  after(async () => {
    await gate?.stop();
    await receiver?.stop();
    dir.remove();
  });

  test('three attempts, then a logged give-up; no more attempts after it', async () => {
    const created = await call(gate.url, `${TOOLS}/set`, { auth: adminAuth, body: { label: 'never accepted' } });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    const id = created.json.id as string;
    const attempts = () => receiver.received.filter((e) => e.json?.token?.id === id).length;
    const givenUp = () =>
      gate
        .output()
        .split('\n')
        .filter((l) => l.includes('webhook delivery given up'));
    // two events are given up: the admin token's (made by the CLI before the start) and this one
    await eventually('both give-ups are logged', 15_000, async () => givenUp().length >= 2);
    assert.equal(attempts(), 3);
    await sleep(500); // ten more polling rounds: none tries again
    assert.equal(attempts(), 3);
    assert.equal(givenUp().length, 2);
    const line =
      gate
        .output()
        .split('\n')
        .find((l) => l.includes('webhook delivery given up')) ?? '';
    assert.match(line, /"attempts":3/);
    assert.match(line, /HTTP 500/);
    assert.equal(gate.output().includes(SECRET), false, 'the secret is never logged');
    assert.equal(gate.output().includes('query-key-9d1'), false, 'nor the query of the receiver URL');
  });
});
