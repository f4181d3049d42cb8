/** `tokengate audit export`: the admin API's exporters over the real store, with the same filter checks. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { openTestStore, record, type TestStore } from '../audit/audit.test-helpers.js';
import { runAuditCommand } from './audit-command.js';
import { UsageError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';

const NOW = Date.UTC(2024, 4, 17, 9, 30);

describe('tokengate audit export', () => {
  let t: TestStore;

  async function run(argv: string[]) {
    let out = '';
    const io: CliIo = {
      stdout: (s) => {
        out += s;
      },
      stderr: () => undefined,
      readStdin: async () => '',
      stdinIsTty: false,
      env: {},
    };
    const code = await runAuditCommand(['export', ...argv, '--data-dir', t.dir], io);
    return { code, out };
  }

  before(async () => {
    t = await openTestStore();
    await t.store.insertAudit([
      record({ time: NOW - 3000, user: 'bob', path: '/rest/api/space', userAgent: '=HYPERLINK("x")' }),
      record({ time: NOW - 2000, user: 'alice', decision: 'denied', path: '/rest/api/user' }),
      record({ time: NOW - 1000, user: 'bob', decision: 'error', path: '/other' }),
    ]);
  });
  after(async () => {
    await t?.close();
  });

  test('ndjson: every matching record, newest first, one object per line', async () => {
    const { code, out } = await run(['--format', 'ndjson', '--user', 'BOB']);
    assert.equal(code, 0);
    const lines = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => [l.user, l.path]),
      [
        ['bob', '/other'],
        ['bob', '/rest/api/space'],
      ],
    );
    assert.equal(lines[1]?.timeMs, NOW - 3000);
  });

  test('csv: header row, the filters of the audit command, formula text neutralised', async () => {
    const { code, out } = await run(['--format', 'csv', '--path', '/rest/api/']);
    assert.equal(code, 0);
    const rows = parse(out, { columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((r) => r.path).sort(), ['/rest/api/space', '/rest/api/user']);
    assert.equal(rows.find((r) => r.user === 'bob')?.userAgent, `'=HYPERLINK("x")`);
    const denied = await run(['--format', 'csv', '--decision', 'denied']);
    assert.equal((parse(denied.out, { columns: true }) as unknown[]).length, 1);
  });

  test('a missing or unknown format and bad filters are usage errors', async () => {
    await assert.rejects(run([]), (err: unknown) => err instanceof UsageError && /--format csv/.test(err.message));
    await assert.rejects(run(['--format', 'xml']), UsageError);
    await assert.rejects(run(['--format', 'csv', '--max', '5']), UsageError);
    await assert.rejects(run(['--format', 'csv', '--path', 'rest']), /must start with "\/"/);
    await assert.rejects(run(['--format', 'csv', '--from', 'yesterday']), UsageError);
  });
});
