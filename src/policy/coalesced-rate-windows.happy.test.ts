import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { KyselyStore } from '../store/kysely-store.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.js';
import { tempDir } from '../testing/processes.js';
import { CoalescedRateWindows } from './coalesced-rate-windows.js';
import { heldCounter, settled, T0 } from './coalesced-rate-windows.test-helpers.js';
import { policyCounter } from './policy-counter.js';

describe('CoalescedRateWindows (a window counted once per batch of calls)', () => {
  test('a lone call is sent at once; calls made meanwhile go together in the next statement, in order', async () => {
    const held = heldCounter();
    const windows = new CoalescedRateWindows(held.count);
    const first = windows.countRateWindow('rate:a', 60_000, T0);
    assert.deepEqual(
      held.sent.map((s) => s.calls),
      [1],
      'sent without waiting',
    );
    const later = [1, 2, 3, 4].map((i) => windows.countRateWindow('rate:a', 60_000, T0 + i));
    assert.equal(held.sent.length, 1, 'nothing more is sent while the first statement is on its way');
    held.sent[0]?.answer();
    assert.equal(await first, 1);
    await settled();
    assert.deepEqual(
      held.sent.map((s) => s.calls),
      [1, 4],
    );
    held.sent[1]?.answer();
    assert.deepEqual(await Promise.all(later), [2, 3, 4, 5], 'the counts of one statement each, in call order');
  });

  test('other tokens and other windows are never counted together', async () => {
    const held = heldCounter();
    const windows = new CoalescedRateWindows(held.count);
    const counts = [
      windows.countRateWindow('rate:a', 60_000, T0),
      windows.countRateWindow('rate:b', 60_000, T0),
      windows.countRateWindow('rate:a', 60_000, T0 + 60_000),
      windows.countRateWindow('rate:a', 1000, T0),
    ];
    assert.equal(held.sent.length, 4);
    for (const s of held.sent) s.answer();
    assert.deepEqual(await Promise.all(counts), [1, 1, 1, 1]);
  });

  test('100 concurrent calls on the SQLite store: every count from 1 to 100 once, in fewer statements', async () => {
    const dir = tempDir('tokengate-coalesce-');
    const store: KyselyStore = await openSqliteStore(join(dir.path, 'tokengate.db'));
    try {
      let statements = 0;
      const counter = policyCounter(
        {
          countRateWindow: (key, windowMs, now, calls) => {
            statements++;
            return store.countRateWindow(key, windowMs, now, calls);
          },
          useQuota: (lineage) => store.useQuota(lineage),
        },
        null,
      );
      const counts = await Promise.all(
        Array.from({ length: 100 }, () => counter.countRateWindow('rate:c', 3_600_000, T0)),
      );
      assert.deepEqual(
        [...counts].sort((a, b) => a - b),
        Array.from({ length: 100 }, (_, i) => i + 1),
      );
      assert.ok(statements < 100, `${statements} statements for 100 calls`);
      assert.equal(await store.countRateWindow('rate:c', 3_600_000, T0), 101, 'every call is in the window');
    } finally {
      await store.close();
      dir.remove();
    }
  });
});
