import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestStore, record, type TestStore } from '../audit/audit.test-helpers.js';
import { HttpError } from '../http/http-error.js';
import { DEFAULT_SETTINGS } from '../store/models.js';
import { testConfig } from '../testing/test-config.js';
import type { AdminDeps, AdminRequest } from './admin-endpoint.js';
import { auditStatsEndpoint } from './audit-stats-endpoint.js';
import { statsRequest, user } from './audit-stats-endpoint.test-helpers.js';

const NOW = Date.UTC(2024, 4, 17, 9, 30);

describe('GET tokenTools/auditStats: bad input is a 400 that says what is wrong', () => {
  let t: TestStore;
  let deps: AdminDeps;
  const admin = user('admin', true);

  before(async () => {
    t = await openTestStore();
    deps = { config: testConfig('./data'), store: t.store, settings: () => DEFAULT_SETTINGS, now: () => NOW };
    await t.store.insertAudit([record({ time: NOW - 1000 })]);
  });

  after(async () => {
    await t?.close();
  });

  const refused = (req: AdminRequest, code: string, message: RegExp) =>
    assert.rejects(
      auditStatsEndpoint.handle(req, deps),
      (err: unknown) =>
        err instanceof HttpError && err.status === 400 && err.code === code && message.test(err.message),
    );

  test('a bad range: unreadable times, from after to', async () => {
    await refused(statsRequest(admin, { from: 'yesterday' }), 'invalid_input', /^from must be epoch milliseconds/);
    await refused(statsRequest(admin, { to: '2024-13-01' }), 'invalid_input', /^to must be epoch milliseconds/);
    await refused(
      statsRequest(admin, { from: '2024-05-02', to: '2024-05-01T12:00:00Z' }),
      'invalid_input',
      /^from must not be after to$/,
    );
  });

  test('a bad bucket, decision or path', async () => {
    await refused(statsRequest(admin, { bucket: 'week' }), 'invalid_input', /^bucket must be auto, minute, hour, day/);
    await refused(statsRequest(admin, { decision: 'maybe' }), 'invalid_input', /^decision must be one of/);
    await refused(statsRequest(admin, { path: 'rest/api' }), 'invalid_input', /^path must start with "\/"/);
  });

  test('more than 1,500 buckets: too_many_buckets, naming a larger bucket', async () => {
    await refused(
      statsRequest(admin, { from: '2024-05-01', to: '2024-05-02', bucket: 'minute' }),
      'too_many_buckets',
      /^the range holds 2880 minute buckets, more than 1500: choose bucket=hour or day or a shorter range/,
    );
    await refused(
      statsRequest(admin, { from: '2020-01-01', to: '2024-05-02' }),
      'too_many_buckets',
      /day buckets, more than 1500: choose a shorter range/,
    );
    // exactly at the limit is fine
    const atLimit = await auditStatsEndpoint.handle(
      statsRequest(admin, { from: '0', to: String(1500 * 60_000 - 1), bucket: 'minute' }),
      deps,
    );
    assert.ok('json' in atLimit && (atLimit.json as { buckets: unknown[] }).buckets.length === 1500);
  });

  test('a parameter given twice is refused', async () => {
    const twice: AdminRequest = { ...statsRequest(admin), query: new Map([['bucket', ['hour', 'day']]]) };
    await assert.rejects(
      auditStatsEndpoint.handle(twice, deps),
      (err: unknown) => err instanceof HttpError && err.status === 400 && /bucket/.test(err.message),
    );
  });
});
