/**
 * Black-box: administrative CLI actions are in the audit log like admin API actions, and
 * `user passwd` does not echo the password on a terminal. The real CLI processes, a real database.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { assertOk, runCliAsync } from '../testing/cli.js';
import { tempDir } from '../testing/processes.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface Record {
  user: string | null;
  authMethod: string | null;
  decision: string;
  path: string;
  reason: string;
  tokenId: string | null;
  userAgent: string;
}

/** Runs the CLI under a pseudo-terminal (`script`), typing `typed` slowly; returns what the terminal showed. */
function onTerminal(args: string[], typed: string[]): Promise<{ code: number | null; shown: string }> {
  const command = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', ...args]
    .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
    .join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let shown = '';
  child.stdout.on('data', (chunk: Buffer) => {
    shown += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    shown += chunk.toString('utf8');
  });
  let sent = 0;
  const timer = setInterval(() => {
    // type the next line once the prompt for it is on the terminal
    const prompts = (shown.match(/password/g) ?? []).length;
    if (sent < typed.length && prompts > sent) child.stdin.write(typed[sent++] as string);
  }, 100);
  return new Promise((resolvePromise) => {
    child.on('exit', (code) => {
      clearInterval(timer);
      resolvePromise({ code, shown });
    });
  });
}

describe('CLI actions in the audit log', () => {
  const dir = tempDir();
  const dataDir = dir.path;
  after(() => dir.remove());

  const adminRecords = async (): Promise<Record[]> =>
    assertOk(await runCliAsync(['audit', '--decision', 'admin', '--json', '--max', '1000'], { dataDir }))
      .trimEnd()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record);

  test('token create/delete/reveal and user add/disable/enable/passwd are recorded; no secret in them', async () => {
    assertOk(await runCliAsync(['user', 'add', 'alice', '--admin'], { dataDir }));
    assertOk(
      await runCliAsync(['user', 'add', 'bob', '--password-stdin'], { dataDir, input: 'a long password one\n' }),
    );
    const created = JSON.parse(
      assertOk(await runCliAsync(['token', 'create', '--json', '--label', 'ci', '--user', 'bob'], { dataDir })),
    ) as { id: string; token: string };
    const revealed = assertOk(await runCliAsync(['token', 'reveal', created.id], { dataDir })).trim();
    assert.equal(revealed, created.token);
    assertOk(await runCliAsync(['token', 'delete', created.id], { dataDir }));
    assertOk(await runCliAsync(['user', 'disable', 'bob'], { dataDir }));
    assertOk(await runCliAsync(['user', 'enable', 'bob'], { dataDir }));
    assertOk(await runCliAsync(['user', 'passwd', 'bob'], { dataDir, input: 'a long password two\n' }));

    const records = await adminRecords();
    assert.deepEqual(
      records.map((r) => [r.path, r.reason]),
      [
        ['tokengate user add', 'user added: alice (administrator)'],
        ['tokengate user add', 'user added: bob, with a password'],
        ['tokengate token create', 'token created for bob'],
        ['tokengate token reveal', 'token secret shown again on the command line'],
        ['tokengate token delete', 'token deleted'],
        ['tokengate user disable', 'user disabled: bob'],
        ['tokengate user enable', 'user enabled: bob'],
        ['tokengate user passwd', 'password changed: bob'],
      ],
    );
    for (const r of records) {
      assert.equal(r.authMethod, 'cli');
      assert.equal(r.user, 'cli');
      assert.match(r.userAgent, /^tokengate CLI \(system user .+, pid \d+\)$/);
    }
    assert.deepEqual(
      records.filter((r) => r.tokenId !== null).map((r) => r.tokenId),
      [created.id, created.id, created.id],
    );
    const all = JSON.stringify(records);
    assert.ok(!all.includes(created.token) && !all.includes('a long password'));
  });

  test('user passwd on a terminal: asked twice, nothing echoed, recorded', async () => {
    const secret = 'typed-but-never-shown-42';
    const { code, shown } = await onTerminal(
      ['user', 'passwd', 'alice', '--data-dir', dataDir],
      [`${secret}\r`, `${secret}\r`],
    );
    assert.equal(code, 0, shown);
    assert.match(shown, /new password \(not shown\)/);
    assert.match(shown, /password of alice changed/);
    assert.ok(!shown.includes(secret), `the terminal showed: ${JSON.stringify(shown)}`);
    const mismatch = await onTerminal(
      ['user', 'passwd', 'alice', '--data-dir', dataDir],
      ['one-password-123\r', 'another-one-456\r'],
    );
    assert.equal(mismatch.code, 1);
    assert.match(mismatch.shown, /the two passwords differ/);
    const records = await adminRecords();
    assert.equal(records.filter((r) => r.reason === 'password changed: alice').length, 1);
  });
});
