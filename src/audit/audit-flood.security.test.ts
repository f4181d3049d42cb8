/**
 * Black-box: floods do not fill the disk. Unauthenticated noise is aggregated and throttled; the
 * audit log keeps to `audit.maxRows` (oldest first, logged and counted) while the server keeps
 * answering a valid client. Real server, real upstream, real database; bounded loops on loopback.
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

const MAX_ROWS = 400;
const AUDIT = '/rest/extender/1.0/tokenTools/audit';

/** Runs `total` calls of `one` with `parallel` in flight; returns every status. */
async function flood(total: number, parallel: number, one: (i: number) => Promise<number>): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < total) statuses.push(await one(next++));
    }),
  );
  return statuses;
}

function count(statuses: readonly number[], status: number): number {
  return statuses.filter((s) => s === status).length;
}

describe('audit log under a flood', () => {
  const dir = tempDir();
  let upstream: RunningUpstream;
  let gate: RunningTokengate;
  let root: { id: string; token: string };
  let narrow: { id: string; token: string };

  const status = async (path: string, authorization?: string): Promise<number> => {
    const response = await fetch(
      `${gate.url}${path}`,
      authorization === undefined ? {} : { headers: { authorization } },
    );
    await response.arrayBuffer();
    return response.status;
  };

  const audit = async (query: string): Promise<{ total: number; entries: { reason: string }[] }> => {
    const response = await fetch(`${gate.url}${AUDIT}?${query}`, {
      headers: { authorization: basic('root', root.token) },
    });
    assert.equal(response.status, 200);
    return (await response.json()) as { total: number; entries: { reason: string }[] };
  };

  before(async () => {
    assert.equal(runCli(['user', 'add', 'root', '--admin'], { dataDir: dir.path }).status, 0);
    root = createTokenWithCli(dir.path, ['--label', 'root', '--user', 'root']);
    narrow = createTokenWithCli(dir.path, [
      '--label',
      'narrow',
      '--user',
      'root',
      '--limit-to',
      '[GET].*/rest/api/space',
    ]);
    upstream = await startRecordingUpstream();
    gate = await startTokengate({
      dataDir: dir.path,
      upstream: upstream.url,
      // failure limit 1: requests without credentials are throttled past 10 per address and second
      env: {
        TOKENGATE_AUDIT_MAX_ROWS: String(MAX_ROWS),
        TOKENGATE_AUDIT_BATCH_MS: '20',
        TOKENGATE_AUTH_FAILURE_LIMIT: '1',
      },
    });
  });

  after(async () => {
    await gate?.stop();
    await upstream?.stop();
    dir.remove();
  });

  test('4,000 requests without credentials: a handful of audit records, throttled, others served', async () => {
    const before = (await audit('decision=unauthenticated')).total;
    const valid: number[] = [];
    const noise = flood(4000, 40, () => status('/rest/api/space'));
    // a valid client from the same address all along
    const client = (async () => {
      for (let i = 0; i < 20; i++) valid.push(await status('/rest/api/space', basic('root', root.token)));
    })();
    const [statuses] = await Promise.all([noise, client]);
    assert.equal(statuses.length, 4000);
    assert.equal(count(statuses, 401) + count(statuses, 429), 4000);
    assert.ok(count(statuses, 429) > 0, 'the flood was throttled');
    assert.deepEqual(valid, Array(20).fill(200));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // one record per address and minute at once (the count follows when the minute is over)
    const written = (await audit('decision=unauthenticated')).total - before;
    assert.ok(written >= 1 && written <= 4, `unauthenticated records written: ${written}`);
  });

  test('denied calls beyond audit.maxRows: the log stays within its bound, oldest first, logged and counted', async () => {
    const samples: number[] = [];
    const valid: number[] = [];
    let done = false;
    const watcher = (async () => {
      while (!done) {
        samples.push((await audit('maxResults=1')).total);
        valid.push(await status('/rest/api/space', basic('root', root.token)));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const denied = await flood(3 * MAX_ROWS, 20, (i) => status(`/rest/api/content/${i}`, basic('root', narrow.token)));
    done = true;
    await watcher;
    assert.equal(count(denied, 403), 3 * MAX_ROWS);
    assert.ok(samples.length >= 3, `samples: ${samples.length}`);
    assert.ok(
      samples.every((n) => n <= MAX_ROWS),
      `audit rows seen: ${samples.join(', ')}`,
    );
    assert.ok(
      valid.every((s) => s === 200),
      `valid client: ${valid}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const last = await audit('maxResults=1000');
    assert.ok(last.total <= MAX_ROWS && last.total >= MAX_ROWS - 50, `rows: ${last.total}`);
    // the oldest went first: the records of the first test are gone, the newest denied are kept
    assert.equal(last.entries.filter((e) => /unauthenticated|no credentials/.test(e.reason)).length, 0);
    const metrics = await (await fetch(`${gate.url}/metrics`)).text();
    const pruned = Number(/^tokengate_audit_pruned_early_total (\d+)/m.exec(metrics)?.[1] ?? '0');
    assert.ok(pruned >= 3 * MAX_ROWS - MAX_ROWS, `pruned early: ${pruned}`);
    assert.match(gate.output(), /audit log over audit\.maxRows/);
  });
});
