/** Black-box: the real `tokengate token …` process against a temporary data directory. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertOk, assertOneLineError, runCliAsync } from '../testing/cli.js';
import { tempDir } from '../testing/processes.js';

interface TokenJson {
  id: string;
  label: string;
  user: string | null;
  author: string | null;
  token?: string;
  limitTo: string;
  dateCreated: number;
  validUntil: number;
  expired: boolean;
  counter: number;
}

describe('tokengate token', () => {
  const dir = tempDir();
  const dataDir = dir.path;
  const list = async (): Promise<TokenJson[]> =>
    JSON.parse(assertOk(await runCliAsync(['token', 'list', '--json'], { dataDir }))) as TokenJson[];

  before(async () => {
    assertOk(await runCliAsync(['user', 'add', 'alice', '--admin'], { dataDir }));
  });
  after(() => dir.remove());

  test('create --json prints one JSON object with the secret; list never shows it; reveal does (standard mode)', async () => {
    const started = Date.now();
    const out = assertOk(
      await runCliAsync(
        [
          'token',
          'create',
          '--json',
          '--label',
          'ci',
          '--user',
          'ALICE',
          '--days',
          '5',
          '--limit-to',
          '[GET].*/rest/api/space.*\\n[POST].*/rest/api/content/?',
        ],
        { dataDir },
      ),
    );
    assert.equal(out.trim().split('\n').length, 1);
    const created = JSON.parse(out) as TokenJson;
    assert.match(created.token ?? '', /^tgp_[0-9A-Za-z]{38}$/);
    assert.equal(created.label, 'ci');
    assert.equal(created.user, 'alice');
    assert.equal(created.author, 'cli');
    assert.equal(created.limitTo, '[GET].*/rest/api/space.*<br>[POST].*/rest/api/content/?');
    assert.ok(created.dateCreated >= started - 1000 && created.dateCreated <= Date.now());
    assert.equal(created.validUntil, created.dateCreated + 5 * 86_400_000);
    assert.ok(!('digest' in created));

    const listed = await list();
    assert.deepEqual(
      listed.map((t) => t.id),
      [created.id],
    );
    assert.ok(!('token' in (listed[0] as TokenJson)) && !JSON.stringify(listed).includes(created.token ?? '-'));
    assert.match(
      assertOk(await runCliAsync(['token', 'list'], { dataDir })),
      new RegExp(`^ID\\s+LABEL.*\\n${created.id}\\s+ci\\s+alice\\s+cli`),
    );
    assert.equal(assertOk(await runCliAsync(['token', 'reveal', created.id], { dataDir })), `${created.token}\n`);
  });

  test('create without --json prints the secret for a person; --author and --token-stdin', async () => {
    const out = assertOk(
      await runCliAsync(['token', 'create', '--label', 'by stdin', '--token-stdin', '--author', 'ops-bot'], {
        dataDir,
        input: 'my-chosen-token-value-42\n',
      }),
    );
    assert.match(
      out,
      /^created token \S+ "by stdin" for any user \(Basic auth only\), never expires\n\n {2}my-chosen-token-value-42\n/,
    );
    const token = (await list()).find((t) => t.label === 'by stdin');
    assert.equal(token?.author, 'ops-bot');
    assertOneLineError(
      await runCliAsync(['token', 'create', '--label', 'dup', '--token', 'my-chosen-token-value-42'], { dataDir }),
      1,
      /^tokengate: this token value is already in use\n$/,
    );
  });

  test('refusals are one line, exit 1, and write nothing', async () => {
    const count = (await list()).length;
    assertOneLineError(
      await runCliAsync(['token', 'create', '--label', 'x', '--limit-to', '[GET].*(unclosed'], { dataDir }),
      1,
      /limitTo: line 1, column \d+/,
    );
    assertOneLineError(
      await runCliAsync(['token', 'create', '--label', 'x', '--user', 'nobody'], { dataDir }),
      1,
      /user "nobody" does not exist/,
    );
    assertOneLineError(
      await runCliAsync(['token', 'create', '--label', 'x', '--days', 'soon'], { dataDir }),
      1,
      /whole number of days/,
    );
    assertOneLineError(
      await runCliAsync(['token', 'create', '--label', 'x', '--token', 'short'], { dataDir }),
      1,
      /at least 16 characters/,
    );
    assertOneLineError(
      await runCliAsync(['token', 'create', '--label', 'x', '--days', '30'], {
        dataDir,
        env: { TOKENGATE_MAX_EXPIRY_DAYS: '7' },
      }),
      1,
      /at most 7/,
    );
    assert.equal((await list()).length, count);
  });

  test('usage errors exit 2 on one line', async () => {
    assertOneLineError(
      await runCliAsync(['token', 'create'], { dataDir }),
      2,
      /--label is required \(see: tokengate token --help\)/,
    );
    assertOneLineError(await runCliAsync(['token', 'create', '--label'], { dataDir }), 2, /Option '--label' argument/);
    assertOneLineError(
      await runCliAsync(['token', 'create', '--label', 'x', '--token', 'a'.repeat(20), '--token-stdin'], { dataDir }),
      2,
      /not both/,
    );
    assertOneLineError(await runCliAsync(['token', 'delete'], { dataDir }), 2, /missing ID/);
    assertOneLineError(await runCliAsync(['token', 'list', 'extra'], { dataDir }), 2, /unexpected argument "extra"/);
    assert.match(assertOk(await runCliAsync(['token', '--help'])), /token create --label L/);
  });

  test('delete revokes; deleting again is one line, exit 1', async () => {
    const created = JSON.parse(
      assertOk(await runCliAsync(['token', 'create', '--json', '--label', 'doomed'], { dataDir })),
    ) as TokenJson;
    assert.equal(
      assertOk(await runCliAsync(['token', 'delete', created.id], { dataDir })),
      `deleted token ${created.id} "doomed"\n`,
    );
    assert.ok(!(await list()).some((t) => t.id === created.id));
    assertOneLineError(await runCliAsync(['token', 'delete', created.id], { dataDir }), 1, /no token with id/);
  });

  test('two CLI writers at once while a reader lists: all succeed, nothing is lost', async () => {
    const before = (await list()).length;
    const [one, two, reader, three] = await Promise.all([
      runCliAsync(['token', 'create', '--json', '--label', 'writer one', '--user', 'alice'], { dataDir }),
      runCliAsync(['token', 'create', '--json', '--label', 'writer two'], { dataDir }),
      runCliAsync(['token', 'list', '--json'], { dataDir }),
      runCliAsync(['user', 'add', 'concurrent'], { dataDir }),
    ]);
    for (const result of [one, two, reader, three]) assertOk(result);
    const readerSaw = (JSON.parse(reader.stdout) as TokenJson[]).length;
    assert.ok(readerSaw >= before && readerSaw <= before + 2);
    const labels = (await list()).map((t) => t.label);
    assert.equal(labels.length, before + 2);
    assert.ok(labels.includes('writer one') && labels.includes('writer two'));
  });

  test('in secure mode the secret is shown at creation only', async () => {
    const secure = { TOKENGATE_SECURE_MODE: 'true' };
    const created = JSON.parse(
      assertOk(await runCliAsync(['token', 'create', '--json', '--label', 'secure'], { dataDir, env: secure })),
    ) as TokenJson;
    assert.match(created.token ?? '', /^tgp_/);
    assertOneLineError(
      await runCliAsync(['token', 'reveal', created.id], { dataDir, env: secure }),
      1,
      /secure mode: secrets are shown only once, at creation/,
    );
  });
});
