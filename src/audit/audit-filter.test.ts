import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError } from '../http/http-error.js';
import type { AuditRecord } from '../store/models.js';
import { matchesAuditFilter, parseAuditQuery, parseTime } from './audit-filter.js';

function q(entries: Record<string, string | string[]>): Map<string, string[]> {
  return new Map(Object.entries(entries).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
}

function rejects400(entries: Record<string, string | string[]>, message: RegExp): void {
  assert.throws(
    () => parseAuditQuery(q(entries)),
    (err: unknown) => err instanceof HttpError && err.status === 400 && message.test(err.message),
  );
}

test('defaults: empty filter, startAt 0, maxResults 50, json', () => {
  assert.deepEqual(parseAuditQuery(new Map()), { filter: {}, startAt: 0, maxResults: 50, format: 'json' });
});

test('every filter is read; empty values count as absent; unknown names are ignored', () => {
  const parsed = parseAuditQuery(
    q({
      tokenId: 'tok_1',
      user: 'bob',
      decision: 'DENIED',
      from: '1714521600000',
      to: '2024-05-02T00:00:00Z',
      path: '/rest/api/',
      startAt: '100',
      maxResults: '1000',
      format: 'CSV',
      os_authType: 'basic',
      _: '123',
      tokenid: '',
    }),
  );
  assert.deepEqual(parsed, {
    filter: {
      tokenId: 'tok_1',
      user: 'bob',
      decision: 'denied',
      from: 1_714_521_600_000,
      to: 1_714_608_000_000,
      path: '/rest/api/',
    },
    startAt: 100,
    maxResults: 1000,
    format: 'csv',
  });
  assert.deepEqual(parseAuditQuery(q({ user: '', decision: '' })).filter, {});
});

test('bad decision → 400 listing the valid ones', () => {
  rejects400({ decision: 'maybe' }, /decision must be one of allowed, denied, refused, unauthenticated, error, admin/);
});

test('bad times → 400 naming the parameter and the accepted formats', () => {
  rejects400({ from: 'yesterday' }, /^from must be epoch milliseconds or an ISO 8601/);
  rejects400({ to: '12abc' }, /^to must be/);
  rejects400({ from: '2024-13-01' }, /^from must be/);
  rejects400({ from: '2024-02-30' }, /^from must be/);
  rejects400({ from: '-5' }, /^from must be/);
  rejects400({ from: '99999999999999999999' }, /^from must be/);
  rejects400({ from: '2024-05-02', to: '2024-05-01' }, /from must not be after to/);
});

test('paging is validated: maxResults 1–1000, startAt ≥ 0, whole numbers only', () => {
  rejects400({ maxResults: '0' }, /maxResults must be a whole number from 1 to 1000/);
  rejects400({ maxResults: '1001' }, /maxResults must be a whole number from 1 to 1000/);
  rejects400({ maxResults: '10.5' }, /maxResults/);
  rejects400({ maxResults: 'ten' }, /maxResults/);
  rejects400({ startAt: '-1' }, /startAt must be a whole number ≥ 0/);
  rejects400({ startAt: '1e3' }, /startAt/);
  assert.equal(parseAuditQuery(q({ maxResults: '1' })).maxResults, 1);
});

test('a parameter given twice, a bad format, a path without slash → 400', () => {
  rejects400({ user: ['a', 'b'] }, /give user at most once/);
  rejects400({ format: 'xml' }, /format must be json, csv or ndjson/);
  rejects400({ path: 'rest/api' }, /path must start with "\/"/);
  rejects400({ user: 'x'.repeat(300) }, /user is too long/);
});

test('error messages never echo control characters from the input', () => {
  try {
    parseAuditQuery(q({ decision: 'x\r\nSet-Cookie: a=b' }));
    assert.fail('expected an error');
  } catch (err) {
    assert.ok(err instanceof HttpError);
    assert.doesNotMatch(err.message, /[\r\n]/);
  }
});

test('parseTime: epoch ms, dates, times with offsets; UTC when no offset', () => {
  assert.equal(parseTime('from', '0'), 0);
  assert.equal(parseTime('from', '2024-05-01'), Date.UTC(2024, 4, 1));
  assert.equal(parseTime('from', '2024-05-01T12:30'), Date.UTC(2024, 4, 1, 12, 30));
  assert.equal(parseTime('from', '2024-05-01 12:30:15.250'), Date.UTC(2024, 4, 1, 12, 30, 15, 250));
  assert.equal(parseTime('from', '2024-05-01T14:00:00+02:00'), Date.UTC(2024, 4, 1, 12));
  assert.equal(parseTime('from', '2024-05-01T14:00:00+0200'), Date.UTC(2024, 4, 1, 12));
  assert.equal(parseTime('from', '2024-05-01T10:00:00-02'), Date.UTC(2024, 4, 1, 12));
  assert.equal(parseTime('from', '2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
  assert.equal(parseTime('from', '2024-05-01T12:00:00.123456Z'), Date.UTC(2024, 4, 1, 12, 0, 0, 123));
  assert.throws(() => parseTime('from', '2023-02-29'));
  assert.throws(() => parseTime('from', '2024-05-01T24:00'));
  assert.throws(() => parseTime('from', '2024-05-01T12:00+25:00'));
});

test('matchesAuditFilter applies every field; ownUser and tokenIds mean "either"', () => {
  const r: AuditRecord = {
    time: 1000,
    tokenId: 'tok_1',
    tokenLabel: 'l',
    user: 'Bob',
    authMethod: 'basic',
    method: 'GET',
    path: '/rest/api/space',
    query: '',
    decision: 'denied',
    reason: '',
    upstreamStatus: null,
    clientIp: '1.1.1.1',
    userAgent: '',
    durationMs: 1,
    node: 'n',
  };
  assert.equal(matchesAuditFilter(r, {}), true);
  assert.equal(
    matchesAuditFilter(r, { user: 'bob', decision: 'denied', path: '/rest/api/', from: 1000, to: 1000 }),
    true,
  );
  assert.equal(matchesAuditFilter(r, { tokenId: 'tok_2' }), false);
  assert.equal(matchesAuditFilter(r, { decision: 'allowed' }), false);
  assert.equal(matchesAuditFilter(r, { from: 1001 }), false);
  assert.equal(matchesAuditFilter(r, { to: 999 }), false);
  assert.equal(matchesAuditFilter(r, { path: '/rest/other' }), false);
  assert.equal(matchesAuditFilter(r, { ownUser: 'BOB', tokenIds: [] }), true);
  assert.equal(matchesAuditFilter(r, { ownUser: 'alice', tokenIds: ['tok_1'] }), true);
  assert.equal(matchesAuditFilter(r, { ownUser: 'alice', tokenIds: ['tok_3'] }), false);
});

test('a date-only to includes that whole day (UTC); a from or a to with a time is exact', () => {
  const day = Date.UTC(2024, 4, 1);
  assert.equal(parseAuditQuery(q({ to: '2024-05-01' })).filter.to, day + 86_400_000 - 1);
  assert.equal(parseAuditQuery(q({ from: '2024-05-01' })).filter.from, day);
  assert.equal(parseAuditQuery(q({ to: '2024-05-01T00:00:00Z' })).filter.to, day);
  assert.deepEqual(parseAuditQuery(q({ from: '2024-05-01', to: '2024-05-01' })).filter, {
    from: day,
    to: day + 86_400_000 - 1,
  });
});
