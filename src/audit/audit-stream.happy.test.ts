/**
 * Black-box: a real `tokengate serve` process with `TOKENGATE_AUDIT_STREAM`. Every audit record
 * is also one JSON line in the file, with the fields the audit API returns (but `id`); after the
 * file is moved away and the process gets SIGHUP, new records go to a new file at the path and
 * none is lost. `stdout` writes the lines on standard output. A path that cannot be appended to
 * stops the start with a clear error.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { useBlackBox } from '../testing/black-box.js';
import { eventually } from '../testing/cluster.js';
import { basic, call } from '../testing/http.js';
import { runServeUntilExit, tempDir } from '../testing/processes.js';

const TOOLS = '/rest/extender/1.0/tokenTools';

/** The JSON lines of `path` ([] when it does not exist). */
function linesOf(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('audit stream to a file, reopened on SIGHUP', () => {
  const logs = tempDir('tokengate-audit-stream-');
  after(() => logs.remove());
  const path = join(logs.path, 'audit.ndjson');
  let admin: { id: string; token: string };
  let caller: { id: string; token: string };
  const box = useBlackBox({
    env: { TOKENGATE_AUDIT_STREAM: path },
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'root', '--admin']).status, 0);
      assert.equal(b.cli(['user', 'add', 'ansible']).status, 0);
      admin = b.createToken(['--label', 'admin', '--user', 'root']);
      caller = b.createToken(['--label', 'streamed', '--user', 'ansible', '--limit-to', '[GET].*/rest/api/space.*']);
    },
  });
  const callerCalls = (lines: Record<string, unknown>[]) => lines.filter((l) => l.tokenId === caller.id);

  test('one line per call with the audit record fields; rename + SIGHUP: new lines in a new file, none lost', async () => {
    const auth = basic('ansible', caller.token);
    const secretValue = 'stream-secret-91ab';
    assert.equal((await call(box.url, `/rest/api/space?password=${secretValue}`, { auth })).status, 200);
    assert.equal((await call(box.url, '/rest/api/content', { auth })).status, 403);
    await eventually('two lines in the stream', 5000, async () => callerCalls(linesOf(path)).length === 2);

    // the same records as the audit API returns, field for field (the database adds `id`)
    let entries: Record<string, unknown>[] = [];
    let last = '';
    await eventually('both records in the audit API', 5000, async () => {
      const audit = await call(box.url, `${TOOLS}/audit?tokenId=${caller.id}`, { auth: basic('root', admin.token) });
      last = JSON.stringify(audit.json);
      // (the CLI's own record of the token's creation is the CLI's: it writes to the database only)
      entries = ((audit.json.entries ?? []) as Record<string, unknown>[]).filter((e) => e.decision !== 'admin');
      return entries.length === 2;
    }).catch((err: unknown) => {
      throw new Error(`${String(err)}; last answer ${last}`);
    });
    const streamed = callerCalls(linesOf(path));
    const fromApi = entries.map(({ id: _id, ...rest }) => rest).reverse(); // the API is newest first
    assert.deepEqual(streamed, fromApi);
    assert.deepEqual(
      streamed.map((l) => [l.decision, l.path, l.query]),
      [
        ['allowed', '/rest/api/space', 'password=[REDACTED]'],
        ['denied', '/rest/api/content', ''],
      ],
    );
    const text = readFileSync(path, 'utf8');
    assert.ok(!text.includes(secretValue) && !text.includes(caller.token), 'a secret in the stream');

    // log rotation: move the file away, SIGHUP, keep calling
    const rotated = `${path}.1`;
    renameSync(path, rotated);
    const sentBefore = 2;
    let sent = sentBefore;
    const during = Array.from({ length: 10 }, async () => {
      const answer = await call(box.url, '/rest/api/space', { auth });
      assert.equal(answer.status, 200);
      sent++;
    });
    box.gate.child.kill('SIGHUP');
    await Promise.all(during);
    await eventually('the stream reopened', 5000, async () => /audit stream reopened/.test(box.gate.output()));
    for (let i = 0; i < 5; i++) {
      assert.equal((await call(box.url, '/rest/api/space', { auth })).status, 200);
      sent++;
    }
    await eventually(`all ${sent} lines over the two files`, 5000, async () => {
      return callerCalls(linesOf(rotated)).length + callerCalls(linesOf(path)).length === sent;
    });
    assert.ok(existsSync(path), 'a new file at the path');
    assert.ok(callerCalls(linesOf(path)).length >= 5, 'the calls after the reopen are in the new file');
    assert.ok(callerCalls(linesOf(rotated)).length >= sentBefore, 'the old file keeps what was written to it');
  });
});

describe('audit stream to stdout', () => {
  let caller: { id: string; token: string };
  const box = useBlackBox({
    env: { TOKENGATE_AUDIT_STREAM: 'stdout' },
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'ansible']).status, 0);
      caller = b.createToken(['--label', 'stdout', '--user', 'ansible']);
    },
  });

  test('each record is one JSON line on standard output', async () => {
    let stdout = '';
    box.gate.child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    assert.equal((await call(box.url, '/rest/api/space', { auth: basic('ansible', caller.token) })).status, 200);
    await eventually('the line on stdout', 5000, async () => stdout.includes(caller.id));
    const lines = stdout
      .split('\n')
      .filter((line) => line.includes(caller.id))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.decision, 'allowed');
    assert.equal(lines[0]?.path, '/rest/api/space');
    assert.equal(lines[0]?.user, 'ansible');
    assert.equal(lines[0]?.level, undefined, 'an audit line, not a log line');
  });
});

test('a stream path in a missing directory stops the start with a clear error', async () => {
  const dir = tempDir('tokengate-audit-stream-bad-');
  try {
    const missing = join(dir.path, 'no-such-dir', 'audit.ndjson');
    const result = await runServeUntilExit({
      dataDir: dir.path,
      upstream: 'http://127.0.0.1:9',
      env: { TOKENGATE_AUDIT_STREAM: missing },
    });
    assert.equal(result.listened, false, result.output);
    assert.equal(result.code, 1, result.output);
    assert.match(
      result.output,
      /audit\.stream: cannot append to .*no-such-dir\/audit\.ndjson: the directory .* does not exist/,
    );
  } finally {
    dir.remove();
  }
});
