/**
 * Black-box: every snippet kind, run unchanged against a running tokengate in front of a
 * recording upstream — curl with the shell, JavaScript with node, Python with the system
 * `python3` (standard library only), the Postman collection with newman — for a POST-only token
 * with JsonData rules and a GET token with QueryParam rules, with Basic and then with Bearer.
 * Each call must reach the upstream as the snippet's request says, and be allowed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ADMIN_BASE } from '../http/paths.js';
import { useBlackBox } from '../testing/black-box.js';
import { ROOT } from '../testing/paths.js';
import { tempDir } from '../testing/processes.js';

const SYSTEM_PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const NEWMAN = join(ROOT, 'node_modules/.bin/newman');

interface SnippetAnswer {
  auth: 'basic' | 'bearer';
  secretIncluded: boolean;
  request: {
    method: string;
    path: string;
    query: [string, string][];
    body: Record<string, unknown> | null;
    allowed: boolean;
  };
  code: string;
}

const TOKENS = {
  postOnly: '[POST].*\\/rest/api/content [JsonData::type==page|blogpost] [JsonData::space.key==[A-Z]{2,10}]',
  getWithQuery: '[GET]/rest/api/content/search [QueryParam::cql==type=page.*] [QueryParam::limit==\\d{1,3}]',
} as const;

/** Runs `code` as its language would be run by a person who pasted it into a file. */
function run(lang: string, code: string, dir: string): { status: number | null; output: string } {
  const file = join(
    dir,
    { curl: 'call.sh', javascript: 'call.mjs', python: 'call.py', postman: 'call.postman.json' }[lang] ?? 'x',
  );
  writeFileSync(file, code);
  const [command, args] =
    lang === 'curl'
      ? ['sh', [file]]
      : lang === 'javascript'
        ? [process.execPath, [file]]
        : lang === 'python'
          ? [SYSTEM_PYTHON, [file]]
          : [NEWMAN, ['run', file, '--color', 'off']];
  const result = spawnSync(command as string, args as string[], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('snippets run unchanged and the call is allowed', () => {
  let admin: { id: string; token: string };
  const ids: Record<keyof typeof TOKENS, string> = { postOnly: '', getWithQuery: '' };
  const box = useBlackBox({
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'root', '--admin']).status, 0);
      admin = b.createToken(['--label', 'admin', '--user', 'root']);
      for (const [name, rules] of Object.entries(TOKENS)) {
        ids[name as keyof typeof TOKENS] = b.createToken(['--label', name, '--user', 'root', '--limit-to', rules]).id;
      }
    },
  });
  const adminAuth = () => `Basic ${Buffer.from(`root:${admin.token}`).toString('base64')}`;

  async function snippetOf(id: string, lang: string): Promise<SnippetAnswer> {
    const response = await fetch(`${box.url}${ADMIN_BASE}/snippet?id=${id}&lang=${lang}`, {
      headers: { authorization: adminAuth() },
    });
    assert.equal(response.status, 200);
    return (await response.json()) as SnippetAnswer;
  }

  async function runEvery(auth: 'basic' | 'bearer') {
    const since = Date.now();
    const dir = tempDir('tokengate-snippets-');
    try {
      for (const name of Object.keys(TOKENS) as (keyof typeof TOKENS)[]) {
        for (const lang of ['curl', 'javascript', 'python', 'postman']) {
          const answer = await snippetOf(ids[name], lang);
          assert.equal(answer.auth, auth, `${name} ${lang}: auth`);
          assert.equal(answer.secretIncluded, true);
          assert.equal(answer.request.allowed, true, `${name}: an allowed request was built`);
          await box.upstream.clear();
          const result = run(lang, answer.code, dir.path);
          assert.equal(result.status, 0, `${name} ${lang} exits 0:\n${answer.code}\n---\n${result.output}`);
          const records = await box.upstream.records();
          assert.equal(records.length, 1, `${name} ${lang}: one call reached the upstream\n${result.output}`);
          const [record] = records;
          const { method, path, query, body } = answer.request;
          assert.equal(record?.method, method, `${name} ${lang}: method`);
          const received = new URL(record?.url ?? '', 'http://upstream');
          assert.equal(received.pathname, path, `${name} ${lang}: path`);
          assert.deepEqual([...received.searchParams], query, `${name} ${lang}: query`);
          assert.deepEqual(body === null ? '' : JSON.parse(record?.body ?? ''), body ?? '', `${name} ${lang}: body`);
          assert.equal(record?.headers.authorization, undefined, 'the token never reaches the upstream');
        }
      }
    } finally {
      dir.remove();
    }
    // Every one of those calls is in the audit log as allowed, authenticated as the snippet said
    // (the audit writer batches: wait for the records, boundedly).
    type Entry = { tokenLabel: string | null; authMethod: string | null; upstreamStatus: number | null };
    let calls: Entry[] = [];
    for (let i = 0; i < 50 && calls.length < 8; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      const audit = await fetch(`${box.url}${ADMIN_BASE}/audit?decision=allowed&maxResults=100&from=${since}`, {
        headers: { authorization: adminAuth() },
      });
      const page = (await audit.json()) as { entries: Entry[] };
      calls = page.entries.filter((r) => r.tokenLabel === 'postOnly' || r.tokenLabel === 'getWithQuery');
    }
    assert.equal(calls.length, 8, `allowed calls in the audit log: ${JSON.stringify(calls)}`);
    assert.ok(
      calls.every((r) => r.upstreamStatus === 200 && r.authMethod === auth),
      JSON.stringify(calls),
    );
  }

  test('a POST-only token and a GET token with query rules: what each rule asks for', async () => {
    const post = await snippetOf(ids.postOnly, 'curl');
    assert.equal(post.request.method, 'POST');
    assert.equal(post.request.path, '/rest/api/content');
    assert.deepEqual(post.request.body, { type: 'page', space: { key: 'AA' } });
    const get = await snippetOf(ids.getWithQuery, 'curl');
    assert.equal(get.request.method, 'GET');
    assert.deepEqual(get.request.query, [
      ['cql', 'type=page'],
      ['limit', '1'],
    ]);
  });

  test('with Basic (authType basic): curl, JavaScript, Python and Postman reach the upstream, allowed', async () => {
    await runEvery('basic');
  });

  test('with Bearer (authType both, a bound token): the same', async () => {
    const set = await fetch(`${box.url}${ADMIN_BASE}/set`, {
      method: 'POST',
      headers: { authorization: adminAuth(), 'content-type': 'application/json' },
      body: JSON.stringify({ authType: 'both' }),
    });
    assert.equal(set.status, 200, await set.text());
    // The setting reaches the gateway through the change feed: wait until the snippet says Bearer.
    for (let i = 0; i < 50 && (await snippetOf(ids.postOnly, 'curl')).auth !== 'bearer'; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await runEvery('bearer');
  });
});
