import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openTestStore, record, type TestStore, until } from '../audit/audit.test-helpers.js';
import { assertOk, runCliAsync } from '../testing/cli.js';
import { type AuditCommandDeps, runAuditCommand } from './audit-command.js';
import { CliError, UsageError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';

const NOW = Date.UTC(2024, 4, 17, 9, 30);

interface Captured {
  out: string;
  err: string;
}

function io(captured: Captured): CliIo {
  return {
    stdout: (s) => {
      captured.out += s;
    },
    stderr: (s) => {
      captured.err += s;
    },
    readStdin: async () => '',
    stdinIsTty: false,
    env: {},
  };
}

describe('tokengate audit', () => {
  let t: TestStore;

  /** Runs the command in this process against the test's data directory (real config and services). */
  async function run(argv: string[], deps: AuditCommandDeps = {}) {
    const captured: Captured = { out: '', err: '' };
    const code = await runAuditCommand([...argv, '--data-dir', t.dir], io(captured), deps);
    return { code, ...captured };
  }

  before(async () => {
    t = await openTestStore();
    await t.store.insertAudit([
      record({ time: NOW - 3000, user: 'bob', tokenLabel: 'ci deploy', path: '/rest/api/space', upstreamStatus: 200 }),
      record({
        time: NOW - 2000,
        user: 'alice',
        decision: 'denied',
        reason: 'no rule allows GET /rest/api/user',
        upstreamStatus: null,
      }),
      record({ time: NOW - 1000, user: 'bob', reason: 'evil\\x1b[2J', decision: 'error', upstreamStatus: null }),
    ]);
  });

  after(async () => {
    await t?.close();
  });

  test('prints a table, oldest first, with the documented columns', async () => {
    const { code, out, err } = await run([]);
    assert.equal(code, 0, err);
    const lines = out.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^TIME\s+DECISION\s+USER\s+TOKEN\s+METHOD\s+PATH\s+STATUS\s+REASON$/);
    assert.equal(lines.length, 4);
    assert.match(
      lines[1] ?? '',
      /^2024-05-17T09:29:57\.000Z\s+allowed\s+bob\s+ci deploy\s+GET\s+\/rest\/api\/space\s+200$/,
    );
    assert.match(lines[2] ?? '', /denied\s+alice .* no rule allows GET \/rest\/api\/user$/);
    assert.match(lines[3] ?? '', /error .* evil\\x1b\[2J$/);
  });

  test('--json prints NDJSON; filters apply', async () => {
    const { code, out } = await run(['--json', '--user', 'BOB', '--decision', 'error']);
    assert.equal(code, 0);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 1);
    const parsed = JSON.parse(lines[0] ?? '') as { user: string; decision: string; time: string };
    assert.equal(parsed.user, 'bob');
    assert.equal(parsed.decision, 'error');
    assert.equal(parsed.time, '2024-05-17T09:29:59.000Z');
    const window = await run(['--json', '--from', '2024-05-17T09:29:57.500Z', '--to', String(NOW - 1500)]);
    assert.equal(window.out.trimEnd().split('\n').length, 1);
    const limited = await run(['--json', '--max', '2']);
    assert.equal(limited.out.trimEnd().split('\n').length, 2);
    const none = await run(['--json', '--path', '/rest/nothing/']);
    assert.equal(none.out, '');
  });

  test('bad command lines are usage errors with a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [['--decision', 'maybe'], /--decision must be one of allowed, denied/],
      [['--from', 'yesterday'], /--from must be epoch milliseconds or an ISO 8601/],
      [['--from', '2024-05-02', '--to', '2024-05-01'], /--from must not be after --to/],
      [['--max', '0'], /--max must be a whole number from 1 to 10000/],
      [['--bogus'], /Unknown option '--bogus'/],
      [['--path', 'rest'], /--path must start with/],
      [['positional'], /unexpected argument/],
    ];
    for (const [argv, message] of cases) {
      await assert.rejects(
        run(argv),
        (err: unknown) => err instanceof UsageError && message.test(err.message),
        argv.join(' '),
      );
    }
  });

  test('--help prints the usage without opening anything', async () => {
    const captured: Captured = { out: '', err: '' };
    const code = await runAuditCommand(['--help'], io(captured), {
      openStore: async () => {
        throw new Error('not opened for --help');
      },
    });
    assert.equal(code, 0);
    assert.match(captured.out, /^Usage: tokengate audit/);
    assert.match(captured.out, /--follow/);
  });

  test('--config and TOKENGATE_DATA_DIR choose the data like every command; a bad configuration is a CliError', async () => {
    const file = join(t.dir, 'audit-test.yaml');
    writeFileSync(file, `dataDir: ${JSON.stringify(t.dir)}\n`);
    const viaFile: Captured = { out: '', err: '' };
    assert.equal(await runAuditCommand(['--json', '--config', file], io(viaFile)), 0);
    assert.equal(viaFile.out.trimEnd().split('\n').length >= 3, true);
    const viaEnv: Captured = { out: '', err: '' };
    assert.equal(await runAuditCommand(['--json'], { ...io(viaEnv), env: { TOKENGATE_DATA_DIR: t.dir } }), 0);
    assert.equal(viaEnv.out, viaFile.out);
    writeFileSync(file, 'audit:\n  retentionDays: soon\n');
    await assert.rejects(
      runAuditCommand(['--config', file], io({ out: '', err: '' })),
      (err: unknown) => err instanceof CliError && /^invalid configuration: /.test(err.message),
    );
  });

  test('the store is closed after the command, also when it fails', async () => {
    let closed = 0;
    const failing = {
      queryAudit: async () => {
        throw new Error('disk I/O error');
      },
      auditAfter: async () => [],
      exportAudit: async function* () {},
      close: async () => {
        closed += 1;
      },
    };
    await assert.rejects(
      runAuditCommand(['--data-dir', t.dir], io({ out: '', err: '' }), { openStore: async () => failing }),
      /disk I\/O error/,
    );
    assert.equal(closed, 1);
  });

  test('--follow prints new matching records as they come, until interrupted', async () => {
    const controller = new AbortController();
    const captured: Captured = { out: '', err: '' };
    const running = runAuditCommand(
      ['--follow', '--json', '--decision', 'denied', '--max', '1', '--data-dir', t.dir],
      io(captured),
      { signal: controller.signal, pollMs: 20 },
    );
    await until(() => captured.out.split('\n').length === 2); // the one existing denied record
    await t.store.insertAudit([
      record({ time: NOW, decision: 'allowed', reason: 'not shown' }),
      record({ time: NOW + 1, decision: 'denied', reason: 'new one' }),
    ]);
    await until(() => captured.out.includes('new one'));
    controller.abort();
    assert.equal(await running, 0);
    assert.equal(captured.out.includes('not shown'), false);
    assert.equal(captured.out.trimEnd().split('\n').length, 2);
  });

  test('--follow misses nothing written while the first page was read, and prints nothing twice', async () => {
    const controller = new AbortController();
    const captured: Captured = { out: '', err: '' };
    let pageQueries = 0;
    // the store answers the page only after a new denied record was written: it lies between
    // the page and the start of following
    const racing = {
      queryAudit: async (...args: Parameters<TestStore['store']['queryAudit']>) => {
        const answer = await t.store.queryAudit(...args);
        const isPage = Object.keys(args[0]).length > 0;
        if (isPage) pageQueries += 1;
        if (isPage && pageQueries === 1) {
          await t.store.insertAudit([record({ time: NOW + 2, decision: 'denied', reason: 'written meanwhile' })]);
        }
        return answer;
      },
      auditAfter: (afterId: number, limit: number) => t.store.auditAfter(afterId, limit),
      exportAudit: t.store.exportAudit.bind(t.store),
      close: async () => undefined,
    };
    const running = runAuditCommand(
      ['--follow', '--json', '--decision', 'denied', '--max', '50', '--data-dir', t.dir],
      io(captured),
      { signal: controller.signal, pollMs: 20, openStore: async () => racing },
    );
    await until(() => captured.out.includes('written meanwhile'));
    await new Promise((resolve) => setTimeout(resolve, 100)); // a few more polls
    controller.abort();
    assert.equal(await running, 0);
    assert.equal(captured.out.split('written meanwhile').length - 1, 1, 'printed once');
    const ids = captured.out
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: number }).id);
    assert.equal(new Set(ids).size, ids.length, 'no record twice');
  });

  test('black-box: the real `tokengate audit` process reads the data directory', async () => {
    const out = assertOk(await runCliAsync(['audit', '--json', '--user', 'alice'], { dataDir: t.dir }));
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 1);
    assert.equal((JSON.parse(lines[0] ?? '') as { decision: string }).decision, 'denied');
    const bad = await runCliAsync(['audit', '--decision', 'nope'], { dataDir: t.dir });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^tokengate: --decision must be one of .* \(see: tokengate audit --help\)\n$/);
  });
});
