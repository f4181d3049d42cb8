import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { countAudit, openTestStore, record, until } from './audit.test-helpers.js';
import { startRetention } from './retention.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2024, 5, 1);

/** A fake `pruneAudit` over a list of times. */
function fakeStore(times: number[]) {
  const calls: { before: number; limit: number }[] = [];
  return {
    times,
    calls,
    async pruneAudit(before: number, limit: number): Promise<number> {
      calls.push({ before, limit });
      let deleted = 0;
      for (let i = times.length - 1; i >= 0 && deleted < limit; i--) {
        if ((times[i] ?? 0) < before) {
          times.splice(i, 1);
          deleted++;
        }
      }
      return deleted;
    },
  };
}

test('prunes only records older than retentionDays, in batches of batchSize', async () => {
  const times = [
    ...Array.from({ length: 25 }, (_, i) => NOW - 100 * DAY + i),
    ...Array.from({ length: 5 }, (_, i) => NOW - 10 * DAY + i),
  ];
  const store = fakeStore(times);
  const runs: number[] = [];
  const stop = startRetention({
    store,
    retentionDays: 90,
    now: () => NOW,
    batchSize: 10,
    initialDelayMs: 0,
    intervalMs: 60_000,
    onRun: (n) => runs.push(n),
  });
  await until(() => runs.length === 1);
  await stop();
  assert.deepEqual(runs, [25]);
  assert.equal(store.times.length, 5);
  assert.deepEqual(
    store.calls.map((c) => c.limit),
    [10, 10, 10],
  );
  assert.ok(store.calls.every((c) => c.before === NOW - 90 * DAY));
});

test('requests keep being served while a large prune runs (the loop yields between batches)', async () => {
  const store = fakeStore(Array.from({ length: 5000 }, () => 0));
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 0);
  const runs: number[] = [];
  const stop = startRetention({
    store,
    retentionDays: 1,
    now: () => NOW,
    batchSize: 10,
    initialDelayMs: 0,
    onRun: (n) => runs.push(n),
  });
  await until(() => runs.length === 1);
  clearInterval(ticker);
  await stop();
  assert.equal(runs[0], 5000);
  assert.ok(ticks > 0, 'timers ran during pruning');
});

test('store errors are logged and retried at the next run', async () => {
  let fail = true;
  const lines: string[] = [];
  const runs: number[] = [];
  const stop = startRetention({
    store: {
      async pruneAudit() {
        if (fail) {
          fail = false;
          throw new Error('locked');
        }
        return 0;
      },
    },
    retentionDays: 90,
    initialDelayMs: 0,
    intervalMs: 10,
    onRun: (n) => runs.push(n),
    log: {
      error: () => {},
      warn: (m) => lines.push(m),
      info: () => {},
      debug: () => {},
    },
  });
  await until(() => runs.length >= 2);
  await stop();
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /pruning failed/);
});

test('retentionDays ≤ 0 disables pruning; stop before the first run prunes nothing', async () => {
  const store = fakeStore([0, 0]);
  await startRetention({ store, retentionDays: 0, initialDelayMs: 0 })();
  const stop = startRetention({ store, retentionDays: 1, initialDelayMs: 50 });
  await stop();
  await sleep(80);
  assert.equal(store.calls.length, 0);
});

test('with a real SQLite store: only old rows are pruned', async () => {
  const { store, close } = await openTestStore();
  try {
    const old = Array.from({ length: 2500 }, (_, i) => record({ time: NOW - 91 * DAY + i }));
    const recent = Array.from({ length: 40 }, (_, i) => record({ time: NOW - 89 * DAY + i }));
    await store.insertAudit([...old, ...recent]);
    const runs: number[] = [];
    const stop = startRetention({
      store,
      retentionDays: 90,
      now: () => NOW,
      batchSize: 1000,
      initialDelayMs: 0,
      onRun: (n) => runs.push(n),
    });
    await until(() => runs.length === 1, 10_000);
    await stop();
    assert.equal(runs[0], 2500);
    assert.equal(await countAudit(store), 40);
    const left = await store.queryAudit({}, 0, 1000);
    assert.ok(left.entries.every((r) => r.time >= NOW - 90 * DAY));
  } finally {
    await close();
  }
});
