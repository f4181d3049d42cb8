import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatabaseHealth } from './database-health.js';
import type { ChangeFeedStatus } from './store.js';

function health(graceMs: number) {
  let now = 1_000_000;
  let status: ChangeFeedStatus = { lastOkAt: now, lastError: null };
  const subject = new DatabaseHealth({ status: () => status, graceMs, now: () => now });
  return {
    subject,
    advance: (ms: number) => {
      now += ms;
    },
    readOk: () => {
      status = { lastOkAt: now, lastError: null };
    },
    readFails: () => {
      status = { lastOkAt: status.lastOkAt, lastError: 'connect ECONNREFUSED 127.0.0.1:5432' };
    },
  };
}

test('up while the change feed reads the database', () => {
  const h = health(60_000);
  h.advance(900);
  assert.equal(h.subject.state(), 'up');
  assert.equal(h.subject.refusal(), null);
});

test('degraded within the grace period, down after it; calls refused only when down', () => {
  const h = health(60_000);
  h.advance(1000);
  h.readFails();
  assert.equal(h.subject.state(), 'degraded');
  assert.equal(h.subject.refusal(), null);
  h.advance(59_000);
  assert.equal(h.subject.state(), 'degraded');
  h.advance(1);
  assert.equal(h.subject.state(), 'down');
  assert.match(h.subject.refusal() ?? '', /has not answered for 60 s \(longer than the 60 s grace period\)/);
  h.readOk();
  assert.equal(h.subject.state(), 'up');
  assert.equal(h.subject.refusal(), null);
});

test('a read that hangs without an error counts as an outage after 10 s', () => {
  const h = health(30_000);
  h.advance(9_999);
  assert.equal(h.subject.state(), 'up');
  h.advance(1);
  assert.equal(h.subject.state(), 'degraded');
  h.advance(20_001);
  assert.equal(h.subject.state(), 'down');
});

test('grace 0: refused as soon as a read fails', () => {
  const h = health(0);
  h.advance(1);
  h.readFails();
  assert.equal(h.subject.state(), 'down');
  assert.notEqual(h.subject.refusal(), null);
});
