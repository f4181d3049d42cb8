/**
 * Black-box: tokenTools/check takes rule text from any token holder, so it has the bounds of
 * token creation (length, rules, compile budget) and cannot stall other clients.
 */
import assert from 'node:assert/strict';
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

const CHECK = '/rest/extender/1.0/tokenTools/check';

describe('tokenTools/check: bounded like token creation', () => {
  const dir = tempDir();
  let upstream: RunningUpstream;
  let gate: RunningTokengate;
  let bob: { id: string; token: string };

  const check = async (limitTo: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${gate.url}${CHECK}`, {
      method: 'POST',
      headers: { authorization: basic('bob', bob.token), 'content-type': 'application/json' },
      body: JSON.stringify({ limitTo, method: 'GET', url: '/rest/api/space' }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  before(async () => {
    assert.equal(runCli(['user', 'add', 'bob'], { dataDir: dir.path }).status, 0);
    bob = createTokenWithCli(dir.path, ['--label', 'bob', '--user', 'bob']);
    upstream = await startRecordingUpstream();
    gate = await startTokengate({ dataDir: dir.path, upstream: upstream.url });
  });

  after(async () => {
    await gate?.stop();
    await upstream?.stop();
    dir.remove();
  });

  test('a rule text longer than creation allows is refused before it is parsed', async () => {
    const answer = await check(`.*/rest/api/space.*\n${'x'.repeat(70_000)}`);
    assert.equal(answer.status, 400);
    assert.match(String(answer.body.message), /limitTo must be at most 65536 characters/);
  });

  test('1,000 lines that each pass alone are refused by the compile budget; other clients are served meanwhile', async () => {
    // the reported attack: many lines, each regex well under the per-regex limit
    const attack = Array.from({ length: 1000 }, (_, i) => `.*/r${i}/[a-z]{400}`).join('\n');
    const valid: number[] = [];
    let done = false;
    const client = (async () => {
      while (!done) {
        const response = await fetch(`${gate.url}/rest/api/space`, {
          headers: { authorization: basic('bob', bob.token) },
        });
        await response.arrayBuffer();
        valid.push(response.status);
      }
    })();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => check(`${attack}\n.*/n${i}`)));
    done = true;
    await client;
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      assert.equal(answer.body.valid, false);
      assert.match(JSON.stringify(answer.body.error), /the rules together would take too long to compile/);
    }
    assert.ok(valid.length >= 1 && valid.every((s) => s === 200), `valid client: ${valid}`);
  });

  test('a realistic rule set is checked as before', async () => {
    const answer = await check('[GET].*/rest/api/space.*');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.allowed, true);
  });
});
