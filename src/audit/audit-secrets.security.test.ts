/**
 * Black-box: no token secret reaches the audit log, whoever's it is and wherever it was sent —
 * query values (plain or percent-encoded), the path, the User-Agent, the Basic user name, denial
 * reasons — and a redacted parameter's value is never quoted in a reason. Real server, real
 * upstream, real database; the database files themselves are searched.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTokenWithCli, runCli } from '../testing/cli.js';
import { basic } from '../testing/http.js';
import {
  type RunningTokengate,
  type RunningUpstream,
  startRecordingUpstream,
  startTokengate,
  tempDir,
} from '../testing/processes.js';

const AUDIT = '/rest/extender/1.0/tokenTools/audit';
const HIDDEN = 'hunter2-correct-horse';

/** Every byte of every file under `dir` (the database, its WAL), as latin1 text. */
function everyFile(dir: string): string {
  let text = '';
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) text += readFileSync(join(entry.parentPath, entry.name)).toString('latin1');
  }
  return text;
}

describe('audit log: no secret, whoever\u2019s it is', () => {
  const dir = tempDir();
  let upstream: RunningUpstream;
  let gate: RunningTokengate;
  let root: { id: string; token: string };
  let keyed: { id: string; token: string };
  let bobs: { id: string; token: string };

  const call = async (path: string, headers: Record<string, string>): Promise<{ status: number; text: string }> => {
    const response = await fetch(`${gate.url}${path}`, { headers });
    return { status: response.status, text: await response.text() };
  };

  before(async () => {
    assert.equal(runCli(['user', 'add', 'root', '--admin'], { dataDir: dir.path }).status, 0);
    assert.equal(runCli(['user', 'add', 'bob'], { dataDir: dir.path }).status, 0);
    root = createTokenWithCli(dir.path, ['--label', 'root', '--user', 'root']);
    keyed = createTokenWithCli(dir.path, [
      '--label',
      'keyed',
      '--user',
      'root',
      '--limit-to',
      '[GET].*/rest/api/space.*[QueryParam::key==ok][QueryParam::password==ok]',
    ]);
    bobs = createTokenWithCli(dir.path, ['--label', 'bob', '--user', 'bob']);
    assert.match(bobs.token, /^tgp_[0-9A-Za-z]{38}$/);
    upstream = await startRecordingUpstream();
    gate = await startTokengate({ dataDir: dir.path, upstream: upstream.url });
  });

  after(async () => {
    await gate?.stop();
    await upstream?.stop();
    dir.remove();
  });

  test('another token\u2019s secret in any field, and a redacted value in a reason, are never recorded', async () => {
    const secret = bobs.token;
    const encoded = `%74gp_${secret.slice(4, 20)}%${secret.charCodeAt(20).toString(16)}${secret.slice(21)}`;
    const asRoot = { authorization: basic('root', root.token) };
    const calls: [string, Record<string, string>][] = [
      [`/rest/api/space?q=${secret}`, asRoot],
      [`/rest/api/space?q=${encoded}`, asRoot],
      [`/rest/api/space/${secret}`, asRoot],
      [`/rest/api/space/${secret}more`, asRoot],
      ['/rest/api/space', { ...asRoot, 'user-agent': `script/1 (${secret})` }],
      ['/rest/api/space', { authorization: basic(secret, 'not-a-token-at-all-123') }],
      ['/rest/api/space', { authorization: basic(`x${secret}`, root.token) }],
      [`/rest/api/space?key=${secret}&password=ok`, { authorization: basic('root', keyed.token) }],
      [`/rest/api/space?key=ok&password=${HIDDEN}`, { authorization: basic('root', keyed.token) }],
    ];
    const statuses: number[] = [];
    const denials: string[] = [];
    for (const [path, headers] of calls) {
      const answer = await call(path, headers);
      statuses.push(answer.status);
      if (answer.status === 403) denials.push(answer.text);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 401, 401, 403, 403]);
    // the 403 for the redacted parameter does not quote its value either
    assert.equal(denials.length, 2);
    assert.doesNotMatch(denials[1] ?? '', new RegExp(HIDDEN));
    assert.match(denials[1] ?? '', /password/);

    await new Promise((resolve) => setTimeout(resolve, 500));
    const exported = await fetch(`${gate.url}${AUDIT}?format=ndjson`, { headers: asRoot });
    assert.equal(exported.status, 200);
    const lines = (await exported.text()).trimEnd().split('\n');
    assert.ok(lines.length >= calls.length, `records: ${lines.length}`);
    const all = lines.join('\n');
    assert.ok(!all.includes(secret), 'no record holds the secret');
    assert.ok(!all.includes(secret.slice(4)), 'not even without its prefix');
    assert.ok(!all.includes(HIDDEN), 'no record quotes the redacted value');
    assert.ok(all.includes('[REDACTED]'));
    // the records are still useful: the paths and the reason are there, the secret replaced
    assert.ok(all.includes('/rest/api/space/[REDACTED]'), all);
    assert.match(all, /query parameter \\"key\\" value \[REDACTED\] does not match|value \\"\[REDACTED\]\\"/);
    assert.ok(!everyFile(dir.path).includes(secret.slice(4)), 'the database files do not hold it');
  });
});
