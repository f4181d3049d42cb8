import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { type AuditRecordInput, createAuditRecordBuilder } from '../audit/audit-record-builder.js';
import { AUDIT_COLUMNS, csvField, exportHeader, exportLines } from './audit-export.js';
import type { StoredAuditRecord } from './models.js';

const build = createAuditRecordBuilder({ node: 'n1' });

function input(id = 1): AuditRecordInput {
  return {
    time: Date.UTC(2024, 4, 1, 12, 0, 0) + id,
    tokenId: `tok_${id}`,
    tokenLabel: 'label, with comma',
    user: 'bob',
    authMethod: 'basic',
    method: 'GET',
    path: '/rest/api/space',
    rawQuery: 'a=1&b="2"',
    decision: 'allowed',
    reason: '',
    upstreamStatus: 200,
    clientIp: '10.0.0.1',
    userAgent: 'curl/8',
    durationMs: 3,
    secret: null,
  };
}

function stored(id: number, overrides: Partial<StoredAuditRecord> = {}): StoredAuditRecord {
  return { id, ...build(input(id)), ...overrides };
}

/** A whole export of `records` in `format`, as the store writes it. */
function exported(records: StoredAuditRecord[], format: 'csv' | 'ndjson'): string {
  return exportHeader(format) + exportLines(records, format);
}

test('CSV: header first, one row per record, RFC 4180 quoting, parsed back exactly', () => {
  const records = [stored(1), stored(2, { reason: 'has "quotes"', upstreamStatus: null, user: null })];
  const csv = exported(records, 'csv');
  assert.ok(csv.startsWith(`${AUDIT_COLUMNS.join(',')}\r\n`));
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  assert.equal(rows.length, 2);
  assert.equal(rows[0]?.tokenLabel, 'label, with comma');
  assert.equal(rows[0]?.query, 'a=1&b="2"');
  assert.equal(rows[0]?.time, '2024-05-01T12:00:00.001Z');
  assert.equal(rows[0]?.timeMs, String(Date.UTC(2024, 4, 1, 12, 0, 0) + 1));
  assert.equal(rows[1]?.reason, 'has "quotes"');
  assert.equal(rows[1]?.upstreamStatus, '');
  assert.equal(rows[1]?.user, '');
});

test('CSV: a CRLF in a user agent cannot forge a row (builder-escaped, and even when raw)', () => {
  const forged = 'curl\r\n999,2024-01-01T00:00:00.000Z,0,allowed,,admin';
  const escaped = stored(1, { userAgent: build({ ...input(), userAgent: forged }).userAgent });
  const raw = stored(2, { userAgent: forged });
  // escaped by the builder: no line break at all, one physical line per record
  const escapedCsv = exported([escaped], 'csv');
  assert.equal(escapedCsv.split('\r\n').length, 3);
  assert.doesNotMatch(escapedCsv, /^999,/m);
  // even a raw CRLF stays inside its quoted field
  const rows = parse(exported([escaped, raw], 'csv'), { columns: true }) as Record<string, string>[];
  assert.deepEqual(
    rows.map((r) => r.id),
    ['1', '2'],
  );
  assert.equal(rows[0]?.userAgent, 'curl\\x0d\\x0a999,2024-01-01T00:00:00.000Z,0,allowed,,admin');
  assert.equal(rows[1]?.userAgent, forged);
});

test('CSV: formula injection is neutralised with a leading quote', () => {
  assert.equal(csvField('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
  assert.equal(csvField('+1'), "'+1");
  assert.equal(csvField('-2'), "'-2");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('\tx'), "'\tx");
  assert.equal(csvField('\rx'), `"'\rx"`);
  assert.equal(csvField('a=b'), 'a=b');
  assert.equal(csvField(42), '42');
  assert.equal(csvField(null), '');
  const csv = exported([stored(1, { userAgent: '=cmd|" /C calc"!A0' })], 'csv');
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  assert.equal(rows[0]?.userAgent, `'=cmd|" /C calc"!A0`);
});

test('CSV: no records → the header only', () => {
  assert.equal(exported([], 'csv'), `${AUDIT_COLUMNS.join(',')}\r\n`);
});

test('NDJSON: one JSON object per line, every column, no forged lines', () => {
  const forged = 'ua\n{"id":999,"decision":"allowed"}\u2028x\u2029';
  const records = [stored(1), stored(2, { userAgent: forged }), stored(3, { reason: 'x\r\ny' })];
  const text = exported(records, 'ndjson');
  assert.ok(text.endsWith('\n'));
  const lines = text.split('\n').slice(0, -1);
  assert.equal(lines.length, 3);
  for (const line of lines) {
    assert.doesNotMatch(line, /[\r\u2028\u2029]/);
  }
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(Object.keys(parsed[0] ?? {}), [...AUDIT_COLUMNS]);
  assert.equal(parsed[1]?.userAgent, forged);
  assert.equal(parsed[2]?.reason, 'x\r\ny');
  assert.equal(parsed[0]?.time, '2024-05-01T12:00:00.001Z');
});
