import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CoalescedRateWindows } from './coalesced-rate-windows.js';
import { heldCounter, settled, T0 } from './coalesced-rate-windows.test-helpers.js';

describe('CoalescedRateWindows when the counter fails', () => {
  let failures: CoalescedRateWindows;
  let held: ReturnType<typeof heldCounter>;
  before(() => {
    held = heldCounter();
    failures = new CoalescedRateWindows(held.count);
  });
  after(() => {
    for (const s of held.sent) s.fail(new Error('test over'));
  });

  test('a failed statement fails each call of its batch; the calls waiting are sent next and counted', async () => {
    const first = failures.countRateWindow('rate:d', 60_000, T0);
    const second = failures.countRateWindow('rate:d', 60_000, T0);
    const third = failures.countRateWindow('rate:d', 60_000, T0);
    held.sent[0]?.fail(new Error('connect ECONNREFUSED'));
    await assert.rejects(first, /ECONNREFUSED/);
    await settled();
    assert.equal(held.sent[1]?.calls, 2, 'the waiting calls are tried, not dropped');
    held.sent[1]?.fail(new Error('still down'));
    await assert.rejects(second, /still down/);
    await assert.rejects(third, /still down/);
    const fourth = failures.countRateWindow('rate:d', 60_000, T0);
    held.sent[2]?.answer();
    assert.equal(await fourth, 1, 'nothing failed was counted');
  });

  test('a counter that throws instead of rejecting fails the call, not the process', async () => {
    const throwing = new CoalescedRateWindows(() => {
      throw new Error('no connection');
    });
    await assert.rejects(throwing.countRateWindow('rate:e', 60_000, T0), /no connection/);
    await assert.rejects(throwing.countRateWindow('rate:e', 60_000, T0), /no connection/, 'and the next call too');
  });
});
