import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../log/logger.js';
import { DEFAULT_SETTINGS, type RuntimeSettings } from '../store/models.js';
import { MemoryAuditStore } from './audit.test-helpers.js';
import { createAuditCallLog } from './audit-call-log.js';
import { type AuditRecordInput, createAuditRecordBuilder } from './audit-record-builder.js';
import { AuditWriter } from './audit-writer.js';

const SECRET = 'tgp_callLogSecretValue_0123456789abcdef';

function call(overrides: Partial<AuditRecordInput> = {}): AuditRecordInput {
  return {
    time: 1,
    tokenId: 't1',
    tokenLabel: 'l',
    user: 'bob',
    authMethod: 'bearer',
    method: 'GET',
    path: '/rest/x',
    rawQuery: '',
    decision: 'allowed',
    reason: '',
    upstreamStatus: 200,
    clientIp: '1.2.3.4',
    userAgent: `ua ${SECRET}`,
    durationMs: 1,
    secret: SECRET,
    ...overrides,
  };
}

function setup(queueSize = 100) {
  let settings: RuntimeSettings = DEFAULT_SETTINGS;
  const lines: string[] = [];
  const store = new MemoryAuditStore();
  const writer = new AuditWriter({ store, batchMs: 60_000, queueSize });
  const calls = createAuditCallLog({
    writer,
    build: createAuditRecordBuilder({ node: 'n' }),
    settings: () => settings,
    log: createLogger('debug', (l) => lines.push(l)),
  });
  return {
    calls,
    writer,
    store,
    lines,
    set(patch: Partial<RuntimeSettings>) {
      settings = { ...settings, ...patch };
    },
  };
}

test('records are built (secret scrubbed) and queued while the audit log is on', async () => {
  const { calls, writer, store } = setup();
  calls.record(call());
  await writer.drain(1000);
  assert.equal(store.records.length, 1);
  assert.equal(store.records[0]?.userAgent, 'ua [REDACTED]');
});

test('auditLog off: no token-call records, no waiting; admin actions are still recorded', async () => {
  const { calls, writer, store, set } = setup();
  set({ auditLog: false });
  calls.record(call());
  assert.equal(calls.hasRoom(), true);
  assert.equal(await calls.waitForRoom(10), true);
  const queued = calls.recordAdmin({
    time: 2,
    actor: 'admin',
    authMethod: 'basic',
    method: 'POST',
    path: '/rest/extender/1.0/tokenTools/set',
    action: 'settings changed: auditLog=false',
    clientIp: '1.2.3.4',
    userAgent: 'ua',
    secret: SECRET,
  });
  assert.equal(queued, true);
  await writer.drain(1000);
  assert.equal(store.records.length, 1);
  assert.equal(store.records[0]?.decision, 'admin');
  assert.equal(store.records[0]?.user, 'admin');
});

test('usageDetails off freezes usage; on again counts again', async () => {
  const { calls, writer, store, set } = setup();
  set({ usageDetails: false });
  calls.countUsage('t1', '1.1.1.1', 10);
  set({ usageDetails: true });
  calls.countUsage('t1', '2.2.2.2', 20);
  await writer.drain(1000);
  assert.deepEqual(store.usage.get('t1'), { calls: 1, lastUsed: 20, ip: '2.2.2.2' });
});

test('a record that cannot be queued is logged, never lost silently', () => {
  const { calls, writer, lines } = setup(2);
  calls.record(call());
  calls.record(call());
  calls.record(call());
  assert.equal(writer.stats().rejected, 1);
  assert.equal(lines.filter((l) => l.includes('audit record lost')).length, 1);
  assert.equal(
    lines.some((l) => l.includes(SECRET)),
    false,
  );
  void writer.drain(100);
});

test('logError logs the error class and message only', () => {
  const { calls, lines } = setup();
  const err = new Error('socket hang up');
  calls.logError(err);
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /"error":"Error: socket hang up"/);
  assert.doesNotMatch(lines[0] ?? '', /at /);
});
