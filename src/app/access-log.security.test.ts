/**
 * Black-box: a real `tokengate serve` with `TOKENGATE_ACCESS_LOG=on` and `TOKENGATE_LOG_LEVEL=debug`.
 * Every line on stderr is JSON with level, time and msg; a call gets one `access` line with its
 * fields and no secret (neither the token nor a secret query value); debug shows more than the
 * start and stop lines (the audit batch writes).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBlackBox } from '../testing/black-box.js';
import { eventually } from '../testing/cluster.js';
import { basic, call } from '../testing/http.js';

interface LogLine {
  level: string;
  time: string;
  msg: string;
  [field: string]: unknown;
}

describe('access log and debug lines', () => {
  let token: { id: string; token: string };
  const box = useBlackBox({
    env: { TOKENGATE_ACCESS_LOG: 'on', TOKENGATE_LOG_LEVEL: 'debug' },
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'ansible']).status, 0);
      token = b.createToken(['--label', 'logged', '--user', 'ansible']);
    },
  });

  /** The JSON lines tokengate wrote so far (stdout carries the CLI's own lines and is not read). */
  const logLines = (): LogLine[] =>
    box.gate
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);

  test('a call has one access line with its fields; no secret anywhere in the log', async () => {
    const secretValue = 'q-secret-7f3a9c';
    const answer = await call(box.url, `/rest/api/space?limit=5&access_token=${secretValue}`, {
      auth: basic('ansible', token.token),
    });
    assert.equal(answer.status, 200);
    await eventually('the access line', 5000, async () =>
      logLines().some((l) => l.msg === 'access' && l.path === '/rest/api/space'),
    );
    const access = logLines().filter((l) => l.msg === 'access' && l.path === '/rest/api/space');
    assert.equal(access.length, 1, JSON.stringify(access));
    const line = access[0] as LogLine;
    assert.equal(line.level, 'info');
    assert.equal(line.method, 'GET');
    assert.equal(line.status, 200);
    assert.equal(line.clientIp, '127.0.0.1');
    assert.equal(line.user, 'ansible');
    assert.equal(line.tokenId, token.id);
    assert.equal(line.decision, 'allowed');
    assert.equal(line.code, null);
    assert.equal(typeof line.durationMs, 'number');
    assert.match(String(line.query), /^limit=5&access_token=\[REDACTED\]$/);
    const output = box.gate.output();
    assert.ok(!output.includes(secretValue), 'the secret query value is in the log');
    assert.ok(!output.includes(token.token), 'the token secret is in the log');
  });

  test('a refused call: its access line carries the error code, and the presented secret is not logged', async () => {
    const wrong = 'tgp_notarealtokenbutlookslikeone0000000000';
    const answer = await call(box.url, '/rest/api/space', { auth: basic('ansible', wrong) });
    assert.equal(answer.status, 401);
    await eventually('the access line of the 401', 5000, async () =>
      logLines().some((l) => l.msg === 'access' && l.status === 401),
    );
    const line = logLines().find((l) => l.msg === 'access' && l.status === 401) as LogLine;
    assert.equal(line.code, answer.json.code);
    assert.equal(line.decision, 'unauthenticated');
    assert.ok(!box.gate.output().includes(wrong));
  });

  test('every log line is JSON with level, time and msg; debug shows more than start and stop', async () => {
    await eventually('an audit batch write at debug', 5000, async () =>
      logLines().some((l) => l.level === 'debug' && /audit batch written/.test(l.msg)),
    );
    const lines = box.gate
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    for (const text of lines) {
      const line = JSON.parse(text) as LogLine;
      assert.ok(['error', 'warn', 'info', 'debug'].includes(line.level), text);
      assert.equal(typeof line.msg, 'string', text);
      assert.ok(!Number.isNaN(Date.parse(line.time)), text);
    }
    const messages = logLines().map((l) => l.msg);
    assert.ok(messages.includes('tokengate started'));
    assert.ok(messages.some((m) => /^listening on http:\/\/127\.0\.0\.1:\d+$/.test(m)));
  });
});
