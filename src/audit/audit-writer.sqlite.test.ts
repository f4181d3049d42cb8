import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  countAudit,
  FlakyStore,
  openTestStore,
  record,
  type TestStore,
  tokenRecord,
  until,
} from './audit.test-helpers.js';
import { AuditWriter } from './audit-writer.js';

/** The writer against a real SQLite store in a temporary directory. */
describe('AuditWriter with a real SQLite store', () => {
  let t: TestStore;

  before(async () => {
    t = await openTestStore();
  });
  after(async () => {
    await t?.close();
  });

  test('records are in the store within the batch window', async () => {
    const initial = await countAudit(t.store);
    const writer = new AuditWriter({ store: t.store, batchMs: 50 });
    const started = Date.now();
    for (let i = 0; i < 5; i++) writer.enqueue(record({ reason: `window ${i}` }));
    await until(async () => (await countAudit(t.store)) === initial + 5, 2000);
    const elapsed = Date.now() - started;
    // batchMs 50: generous slack for a loaded CI machine, still far below "eventually"
    assert.ok(elapsed < 750, `visible after ${elapsed} ms`);
    const { entries } = await t.store.queryAudit({}, 0, 5);
    assert.deepEqual(entries.map((e) => e.reason).sort(), ['window 0', 'window 1', 'window 2', 'window 3', 'window 4']);
    await writer.drain(1000);
  });

  test('usage increments from two writers (two nodes) add up; lastUsed and ip are the latest', async () => {
    await t.store.insertToken(tokenRecord('tok_usage'));
    const a = new AuditWriter({ store: t.store, batchMs: 5 });
    const b = new AuditWriter({ store: t.store, batchMs: 5 });
    for (let i = 0; i < 500; i++) {
      a.countUsage('tok_usage', '10.0.0.1', 1000 + i);
      b.countUsage('tok_usage', '10.0.0.2', 2000 + i);
      if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 7));
    }
    b.countUsage('tok_usage', '10.0.0.9', 5000);
    a.countUsage('tok_usage', '10.0.0.1', 4000); // older than b's last: must not win
    assert.equal(await a.drain(5000), true);
    assert.equal(await b.drain(5000), true);
    const token = await t.store.findTokenById('tok_usage');
    assert.equal(token?.counter, 1002);
    assert.equal(token?.lastUsed, 5000);
    assert.equal(token?.ip, '10.0.0.9');
  });

  test('reject: a full queue refuses, then recovers after a flush', async () => {
    const writer = new AuditWriter({ store: t.store, batchMs: 60_000, queueSize: 100, onFull: 'reject' });
    let accepted = 0;
    while (writer.enqueue(record({ reason: 'full' }))) accepted += 1;
    assert.equal(accepted, 100);
    assert.equal(writer.hasRoom(), false);
    assert.equal(await writer.waitForRoom(2000), true);
    assert.equal(writer.enqueue(record({ reason: 'full' })), true);
    assert.equal(await writer.drain(2000), true);
    assert.equal((await t.store.queryAudit({ path: '/rest/api/item/' }, 0, 1)).total >= 101, true);
    assert.equal(writer.stats().rejected, 1);
  });

  test('drop: what does not fit is counted, what fits is written', async () => {
    const initial = await countAudit(t.store);
    const writer = new AuditWriter({ store: t.store, batchMs: 60_000, queueSize: 100, onFull: 'drop' });
    for (let i = 0; i < 130; i++) assert.equal(writer.enqueue(record()), true);
    assert.equal(writer.stats().dropped, 30);
    assert.equal(await writer.drain(2000), true);
    assert.equal((await countAudit(t.store)) - initial, 100);
  });

  test('drain loses none: 10,000 records enqueued at once are all in the store', async () => {
    const initial = await countAudit(t.store);
    const writer = new AuditWriter({ store: t.store, batchMs: 100 });
    for (let i = 0; i < 10_000; i++) assert.equal(writer.enqueue(record({ reason: 'bulk' })), true);
    assert.equal(await writer.drain(30_000), true);
    assert.equal((await countAudit(t.store)) - initial, 10_000);
    assert.deepEqual(writer.stats(), {
      depth: 0,
      dropped: 0,
      written: 10_000,
      failedWrites: 0,
      rejected: 0,
      prunedEarly: 0,
    });
  });

  test('store failures then recovery: nothing lost, nothing written twice', async () => {
    await t.store.insertToken(tokenRecord('tok_flaky'));
    const flaky = new FlakyStore(t.store, 4, 2);
    const writer = new AuditWriter({ store: flaky, batchMs: 10, retryMaxMs: 40, maxBatch: 50 });
    const marker = `flaky-${Date.now()}`;
    for (let i = 0; i < 300; i++) {
      writer.enqueue(record({ tokenId: 'tok_flaky', reason: marker, durationMs: i }));
      writer.countUsage('tok_flaky', '10.1.1.1', 100 + i);
    }
    assert.equal(await writer.drain(10_000), true);
    const rows = await t.store.queryAudit({ tokenId: 'tok_flaky' }, 0, 1000);
    assert.equal(rows.total, 300);
    assert.equal(new Set(rows.entries.map((e) => e.durationMs)).size, 300);
    const token = await t.store.findTokenById('tok_flaky');
    assert.equal(token?.counter, 300);
    assert.equal(token?.lastUsed, 399);
    assert.equal(writer.stats().failedWrites, 6);
  });
});
