/** Black-box: the real `tokengate user …` process against a temporary data directory. */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { assertOk, assertOneLineError, runCliAsync } from '../testing/cli.js';
import { tempDir } from '../testing/processes.js';

describe('tokengate user', () => {
  const dir = tempDir();
  const dataDir = dir.path;
  after(() => dir.remove());

  test('add, list (table and JSON, never the password hash)', async () => {
    assert.match(
      assertOk(
        await runCliAsync(
          ['user', 'add', 'alice', '--email', 'alice@example.com', '--admin', '--display-name', 'Alice A.'],
          { dataDir },
        ),
      ),
      /^created user alice \(administrator\)\n$/,
    );
    assert.match(
      assertOk(await runCliAsync(['user', 'add', 'bob', '--password-stdin'], { dataDir, input: 'a long password\n' })),
      /^created user bob\n$/,
    );
    const table = assertOk(await runCliAsync(['user', 'list'], { dataDir }));
    assert.match(table, /^USERNAME\s+EMAIL\s+DISPLAY NAME\s+ADMIN\s+ACTIVE\s+PASSWORD\s+CREATED\n/);
    assert.match(table, /alice\s+alice@example\.com\s+Alice A\.\s+yes\s+yes\s+no/);
    assert.match(table, /bob\s+no\s+yes\s+yes/);
    const users = JSON.parse(assertOk(await runCliAsync(['user', 'list', '--json'], { dataDir }))) as Record<
      string,
      unknown
    >[];
    assert.deepEqual(users.map((u) => [u.username, u.admin, u.hasPassword]).sort(), [
      ['alice', true, false],
      ['bob', false, true],
    ]);
    assert.ok(users.every((u) => !('passwordHash' in u)));
    assert.ok(!JSON.stringify(users).includes('scrypt'));
  });

  test('disable and enable', async () => {
    assert.equal(assertOk(await runCliAsync(['user', 'disable', 'BOB'], { dataDir })), 'disabled user bob\n');
    assert.match(assertOk(await runCliAsync(['user', 'list'], { dataDir })), /bob\s+no\s+DISABLED/);
    assert.equal(assertOk(await runCliAsync(['user', 'enable', 'bob'], { dataDir })), 'enabled user bob\n');
    assertOneLineError(
      await runCliAsync(['user', 'disable', 'nobody'], { dataDir }),
      1,
      /user "nobody" does not exist/,
    );
  });

  test('passwd reads the new password from stdin', async () => {
    assert.equal(
      assertOk(await runCliAsync(['user', 'passwd', 'alice'], { dataDir, input: 'another password\n' })),
      'password of alice changed\n',
    );
    assertOneLineError(
      await runCliAsync(['user', 'passwd', 'alice'], { dataDir, input: 'short\n' }),
      1,
      /at least 8 characters/,
    );
    assertOneLineError(
      await runCliAsync(['user', 'passwd', 'alice'], { dataDir, input: '' }),
      1,
      /no password on standard input/,
    );
    assertOneLineError(
      await runCliAsync(['user', 'passwd', 'nobody'], { dataDir, input: '12345678\n' }),
      1,
      /does not exist/,
    );
  });

  test('refusals: duplicate, invalid name, short password — one line, exit 1, nothing written', async () => {
    assertOneLineError(await runCliAsync(['user', 'add', 'ALICE'], { dataDir }), 1, /already exists/);
    assertOneLineError(await runCliAsync(['user', 'add', 'bad:name'], { dataDir }), 1, /must not contain ":"/);
    assertOneLineError(
      await runCliAsync(['user', 'add', 'carol', '--email', 'nope'], { dataDir }),
      1,
      /not a valid address/,
    );
    assertOneLineError(
      await runCliAsync(['user', 'add', 'carol', '--password-stdin'], { dataDir, input: 'short' }),
      1,
      /at least 8/,
    );
    const users = JSON.parse(assertOk(await runCliAsync(['user', 'list', '--json'], { dataDir }))) as unknown[];
    assert.equal(users.length, 2);
  });

  test('usage errors: exit 2, one line pointing at the help', async () => {
    assertOneLineError(
      await runCliAsync(['user', 'add'], { dataDir }),
      2,
      /missing USERNAME \(see: tokengate user --help\)/,
    );
    assertOneLineError(await runCliAsync(['user', 'add', 'a', 'b'], { dataDir }), 2, /unexpected argument "b"/);
    assertOneLineError(
      await runCliAsync(['user', 'add', 'carol', '--bogus'], { dataDir }),
      2,
      /Unknown option '--bogus'/,
    );
    assertOneLineError(await runCliAsync(['user', 'frob'], { dataDir }), 2, /unknown action "user frob"/);
    assertOneLineError(await runCliAsync(['user'], { dataDir }), 2, /missing action/);
  });

  test('help: tokengate --help, tokengate help, tokengate user --help', async () => {
    for (const args of [['--help'], ['help'], ['-h']]) {
      const out = assertOk(await runCliAsync(args));
      assert.match(out, /^Usage: tokengate <command>/);
      assert.match(out, /token create --label L/);
    }
    assert.match(assertOk(await runCliAsync(['user', '--help'])), /user passwd USERNAME/);
    assertOneLineError(await runCliAsync([]), 2, /missing command/);
    assertOneLineError(await runCliAsync(['frobnicate']), 2, /unknown command "frobnicate"/);
  });

  test('an invalid configuration is one line listing every problem, exit 1', async () => {
    const result = await runCliAsync(['user', 'list'], {
      dataDir,
      env: { TOKENGATE_PORT: 'x', TOKENGATE_LOG_LEVEL: 'loud' },
    });
    assertOneLineError(result, 1, /invalid configuration: TOKENGATE_PORT: must be a whole number.*; logLevel: must be/);
  });
});

describe('tokengate user delete', () => {
  const dir = tempDir();
  const dataDir = dir.path;
  after(() => dir.remove());

  test('without --yes: a clear error and nothing changed; with --yes the user and their tokens go', async () => {
    assertOk(await runCliAsync(['user', 'add', 'carol'], { dataDir }));
    assertOk(await runCliAsync(['user', 'add', 'dan'], { dataDir }));
    for (const [label, user] of [
      ['c1', 'carol'],
      ['c2', 'carol'],
      ['d1', 'dan'],
    ] as const) {
      assertOk(await runCliAsync(['token', 'create', '--label', label, '--user', user], { dataDir }));
    }
    assertOneLineError(
      await runCliAsync(['user', 'delete', 'Carol'], { dataDir }),
      2,
      /deleting user carol also deletes their 2 tokens; nothing was changed: add --yes to confirm/,
    );
    const labels = async () =>
      (JSON.parse(assertOk(await runCliAsync(['token', 'list', '--json'], { dataDir }))) as { label: string }[])
        .map((t) => t.label)
        .sort();
    assert.deepEqual(await labels(), ['c1', 'c2', 'd1']);
    assert.equal(
      assertOk(await runCliAsync(['user', 'delete', 'Carol', '--yes'], { dataDir })),
      'deleted user carol and 2 tokens\n',
    );
    assert.deepEqual(await labels(), ['d1']);
    assert.doesNotMatch(assertOk(await runCliAsync(['user', 'list'], { dataDir })), /carol/);
    assertOneLineError(
      await runCliAsync(['user', 'delete', 'carol', '--yes'], { dataDir }),
      1,
      /user "carol" does not exist/,
    );
    assert.match(assertOk(await runCliAsync(['user', '--help'])), /user delete USERNAME --yes/);
  });
});
