import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../log/logger.js';
import type { AuditRecord, UsageDelta } from '../store/models.js';
import { FlakyStore, MemoryAuditStore, record, until } from './audit.test-helpers.js';
import { AuditWriter } from './audit-writer.js';

/** Unit tests of the writer's queue, timing and retries against an in-memory store. */

function quietLog(lines: string[] = []) {
  return createLogger('debug', (line) => lines.push(line));
}

test('enqueue is synchronous: nothing touches the store until the batch window ends', async () => {
  const store = new MemoryAuditStore();
  const writer = new AuditWriter({ store, batchMs: 40 });
  const started = Date.now();
  assert.equal(writer.enqueue(record()), true);
  assert.equal(writer.enqueue(record()), true);
  assert.equal(store.batches.length, 0);
  assert.equal(writer.stats().depth, 2);
  await until(() => store.records.length === 2);
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 30, `written after ${elapsed} ms`);
  assert.ok(elapsed < 1000, `written after ${elapsed} ms`);
  assert.deepEqual(store.batches, [2]);
  assert.deepEqual(writer.stats(), { depth: 0, dropped: 0, written: 2, failedWrites: 0, rejected: 0, prunedEarly: 0 });
});

test('records are written in store calls of at most maxBatch, in order', async () => {
  const store = new MemoryAuditStore();
  const writer = new AuditWriter({ store, batchMs: 10, maxBatch: 100 });
  const records = Array.from({ length: 250 }, (_, i) => record({ durationMs: i }));
  for (const r of records) writer.enqueue(r);
  assert.equal(await writer.drain(5000), true);
  assert.deepEqual(store.batches, [100, 100, 50]);
  assert.deepEqual(
    store.records.map((r) => r.durationMs),
    records.map((r) => r.durationMs),
  );
});

test('usage: calls summed per token, lastUsed the latest, ip of the latest call', async () => {
  const store = new MemoryAuditStore();
  const seen: UsageDelta[][] = [];
  const writer = new AuditWriter({
    store: {
      insertAudit: (r: readonly AuditRecord[]) => store.insertAudit(r),
      addUsage: async (d: readonly UsageDelta[]) => {
        seen.push([...d]);
        await store.addUsage(d);
      },
    },
    batchMs: 20,
  });
  writer.countUsage('a', '10.0.0.1', 100);
  writer.countUsage('a', '10.0.0.3', 300);
  writer.countUsage('a', '10.0.0.2', 200); // out of order: does not win
  writer.countUsage('b', '10.0.0.9', 50);
  await until(() => seen.length === 1);
  assert.deepEqual(
    seen[0]?.sort((x, y) => x.tokenId.localeCompare(y.tokenId)),
    [
      { tokenId: 'a', calls: 3, lastUsed: 300, ip: '10.0.0.3' },
      { tokenId: 'b', calls: 1, lastUsed: 50, ip: '10.0.0.9' },
    ],
  );
});

test('reject: a full queue refuses, hasRoom turns false before that, and both recover after a flush', async () => {
  const store = new MemoryAuditStore();
  const writer = new AuditWriter({ store, batchMs: 60_000, queueSize: 20, onFull: 'reject' });
  for (let i = 0; i < 17; i++) assert.equal(writer.enqueue(record()), true);
  assert.equal(writer.hasRoom(), true);
  writer.enqueue(record());
  // high-water mark at 18 (10% headroom for calls already under way)
  assert.equal(writer.hasRoom(), false);
  assert.equal(writer.enqueue(record()), true);
  assert.equal(writer.enqueue(record()), true);
  assert.equal(writer.enqueue(record()), false);
  assert.equal(writer.stats().rejected, 1);
  assert.equal(writer.stats().depth, 20);
  // a waiting call triggers a flush at once instead of waiting for the 60 s window
  assert.equal(await writer.waitForRoom(2000), true);
  assert.equal(writer.hasRoom(), true);
  assert.equal(writer.enqueue(record()), true);
  assert.equal(store.records.length, 20);
  await writer.drain(1000);
});

test('reject: waitForRoom gives up after its timeout while the store cannot write', async () => {
  const never = { insertAudit: () => new Promise<void>(() => {}), addUsage: async () => {} };
  const writer = new AuditWriter({ store: never, batchMs: 10, queueSize: 5 });
  for (let i = 0; i < 5; i++) writer.enqueue(record());
  const started = Date.now();
  assert.equal(await writer.waitForRoom(100), false);
  assert.ok(Date.now() - started >= 90);
  assert.equal(await writer.drain(50), false);
});

test('drop: a full queue drops and counts, never refuses, and logs a warning', async () => {
  const lines: string[] = [];
  const store = new MemoryAuditStore();
  const writer = new AuditWriter({ store, batchMs: 60_000, queueSize: 10, onFull: 'drop', log: quietLog(lines) });
  for (let i = 0; i < 15; i++) assert.equal(writer.enqueue(record()), true);
  assert.equal(writer.hasRoom(), true);
  assert.equal(writer.stats().dropped, 5);
  assert.equal(await writer.drain(1000), true);
  assert.equal(store.records.length, 10);
  assert.equal(lines.filter((l) => l.includes('dropping audit records')).length, 1);
});

test('store failures: records stay queued, are retried with backoff and written exactly once', async () => {
  const lines: string[] = [];
  const memory = new MemoryAuditStore();
  const flaky = new FlakyStore(memory, 3, 2);
  const writer = new AuditWriter({ store: flaky, batchMs: 10, log: quietLog(lines), retryMaxMs: 50 });
  const records = Array.from({ length: 30 }, (_, i) => record({ durationMs: i }));
  for (const r of records) writer.enqueue(r);
  writer.countUsage('a', '1.1.1.1', 1);
  writer.countUsage('a', '1.1.1.2', 2);
  await until(() => memory.records.length === 30 && memory.usage.get('a')?.calls === 2, 5000);
  writer.countUsage('a', '1.1.1.3', 3);
  assert.equal(await writer.drain(2000), true);
  assert.deepEqual(
    memory.records.map((r) => r.durationMs),
    records.map((r) => r.durationMs),
  );
  assert.deepEqual(memory.usage.get('a'), { calls: 3, lastUsed: 3, ip: '1.1.1.3' });
  assert.equal(writer.stats().failedWrites, 5);
  assert.equal(writer.stats().written, 30);
  assert.ok(lines.some((l) => l.includes('will retry')));
  // logs carry the error, never a record
  assert.equal(
    lines.some((l) => l.includes('/rest/api/item/')),
    false,
  );
});

test('failed records keep counting against the bound (fail closed while the store is down)', async () => {
  const memory = new MemoryAuditStore();
  const flaky = new FlakyStore(memory, 1_000_000);
  const writer = new AuditWriter({ store: flaky, batchMs: 5, queueSize: 10, retryMaxMs: 20 });
  for (let i = 0; i < 10; i++) writer.enqueue(record());
  await until(() => flaky.insertCalls >= 3);
  assert.equal(writer.stats().depth, 10);
  assert.equal(writer.enqueue(record()), false);
  assert.equal(writer.hasRoom(), false);
  assert.equal(await writer.drain(30), false);
});

test('a store that throws synchronously never reaches the caller', async () => {
  const store = {
    insertAudit(): Promise<void> {
      throw new TypeError('boom');
    },
    addUsage(): Promise<void> {
      throw new TypeError('boom');
    },
  };
  const writer = new AuditWriter({ store, batchMs: 1, retryMaxMs: 5 });
  assert.equal(writer.enqueue(record()), true);
  writer.countUsage('a', 'ip', 1);
  await until(() => writer.stats().failedWrites >= 4);
  assert.equal(writer.stats().depth, 1);
  assert.equal(await writer.drain(20), false);
});

test('drain writes what arrives while draining, then refuses', async () => {
  const store = new MemoryAuditStore();
  const writer = new AuditWriter({ store, batchMs: 60_000, maxBatch: 10 });
  for (let i = 0; i < 25; i++) writer.enqueue(record());
  const draining = writer.drain(2000);
  writer.enqueue(record());
  assert.equal(await draining, true);
  assert.equal(store.records.length, 26);
  assert.equal(writer.enqueue(record()), false);
  assert.equal(writer.hasRoom(), false);
});

test('a steady stream is written every batch window, not held back', async () => {
  const store = new MemoryAuditStore();
  const writer = new AuditWriter({ store, batchMs: 20 });
  const stop = Date.now() + 200;
  let sent = 0;
  while (Date.now() < stop) {
    writer.enqueue(record());
    sent += 1;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  // everything older than one window (plus scheduling slack) is already written
  assert.ok(store.records.length >= sent - 30, `${store.records.length} of ${sent}`);
  assert.ok(store.batches.length >= 5, `batches: ${store.batches.length}`);
  await writer.drain(1000);
  assert.equal(store.records.length, sent);
});
