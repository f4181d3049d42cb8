import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { countAudit, openTestStore, record, type TestStore, tokenRecord } from '../audit/audit.test-helpers.js';
import type { Config } from '../config/config.js';
import { HttpError } from '../http/http-error.js';
import { DEFAULT_SETTINGS, type StoredAuditRecord, type User } from '../store/models.js';
import { testConfig } from '../testing/test-config.js';
import type { AdminDeps, AdminRequest, AdminResponse } from './admin-endpoint.js';
import { auditEndpoint } from './audit-endpoint.js';

const NOW = Date.UTC(2024, 4, 17, 9, 30);

const CONFIG: Config = testConfig('./data');

function user(username: string, admin = false): User {
  return { username, email: null, displayName: null, admin, active: true, passwordHash: null, dateCreated: 0 };
}

function request(actor: User, query: Record<string, string> = {}): AdminRequest {
  return {
    method: 'GET',
    query: new Map(Object.entries(query).map(([k, v]) => [k, [v]])),
    actor,
    json: async () => ({}),
    recordAdmin: () => {},
  };
}

interface Page {
  status: string;
  total: number;
  startAt: number;
  maxResults: number;
  entries: StoredAuditRecord[];
}

function page(response: AdminResponse): Page {
  assert.ok('json' in response);
  assert.equal(response.status, 200);
  return response.json as Page;
}

async function body(response: AdminResponse): Promise<{ headers: Readonly<Record<string, string>>; text: string }> {
  assert.ok('stream' in response);
  let text = '';
  for await (const chunk of response.stream) text += chunk;
  return { headers: response.headers, text };
}

describe('GET /rest/extender/1.0/tokenTools/audit', () => {
  let t: TestStore;
  let deps: AdminDeps;
  const admin = user('admin', true);
  const bob = user('Bob');
  const carol = user('carol');

  before(async () => {
    t = await openTestStore();
    deps = { config: CONFIG, store: t.store, settings: () => DEFAULT_SETTINGS, now: () => NOW };
    await t.store.insertToken(tokenRecord('tok_bob', 'bob'));
    await t.store.insertToken(tokenRecord('tok_carol', 'carol'));
    await t.store.insertToken(tokenRecord('tok_any', null));
    const records = [
      // bob's own calls with his token and with an unbound token
      ...Array.from({ length: 30 }, (_, i) => record({ time: NOW - 1000 + i, tokenId: 'tok_bob', user: 'bob' })),
      record({ time: NOW - 500, tokenId: 'tok_any', user: 'bob', decision: 'denied' }),
      // someone presenting bob's token with another name (visible to bob: his token)
      record({ time: NOW - 400, tokenId: 'tok_bob', user: 'mallory', decision: 'unauthenticated' }),
      // carol's calls (not visible to bob)
      ...Array.from({ length: 5 }, (_, i) => record({ time: NOW - 300 + i, tokenId: 'tok_carol', user: 'carol' })),
      record({ time: NOW - 200, tokenId: 'tok_any', user: 'carol', path: '/rest/other/x' }),
      // an admin action
      record({ time: NOW - 100, tokenId: null, user: 'admin', decision: 'admin', reason: 'settings changed' }),
    ];
    await t.store.insertAudit(records);
  });

  after(async () => {
    await t?.close();
  });

  test('administrators see every record, newest first, with paging', async () => {
    const total = await countAudit(t.store);
    const first = page(await auditEndpoint.handle(request(admin, { maxResults: '10' }), deps));
    assert.equal(first.status, 'ok');
    assert.equal(first.total, total);
    assert.equal(first.startAt, 0);
    assert.equal(first.maxResults, 10);
    assert.equal(first.entries.length, 10);
    assert.equal(first.entries[0]?.decision, 'admin');
    const times = first.entries.map((e) => e.time);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
    const second = page(await auditEndpoint.handle(request(admin, { maxResults: '10', startAt: '10' }), deps));
    assert.equal(second.startAt, 10);
    assert.ok((second.entries[0]?.time ?? 0) <= (first.entries[9]?.time ?? 0));
    assert.equal(new Set([...first.entries, ...second.entries].map((e) => e.id)).size, 20);
  });

  test('default page: 50 entries', async () => {
    const all = page(await auditEndpoint.handle(request(admin), deps));
    assert.equal(all.maxResults, 50);
    assert.equal(all.entries.length, Math.min(50, all.total));
  });

  test('filters are applied', async () => {
    const denied = page(await auditEndpoint.handle(request(admin, { decision: 'denied' }), deps));
    assert.equal(denied.total, 1);
    const carols = page(await auditEndpoint.handle(request(admin, { user: 'carol', path: '/rest/other/' }), deps));
    assert.equal(carols.total, 1);
    const window = page(
      await auditEndpoint.handle(
        request(admin, { from: new Date(NOW - 300).toISOString(), to: String(NOW - 296), tokenId: 'tok_carol' }),
        deps,
      ),
    );
    assert.equal(window.total, 5);
  });

  test('other users see their own records and those of tokens bound to them, nothing else', async () => {
    const mine = page(await auditEndpoint.handle(request(bob, { maxResults: '1000' }), deps));
    assert.equal(mine.total, 32);
    for (const e of mine.entries) {
      assert.ok(e.user?.toLowerCase() === 'bob' || e.tokenId === 'tok_bob', JSON.stringify(e));
    }
    assert.ok(mine.entries.some((e) => e.user === 'mallory'));
    assert.ok(mine.entries.some((e) => e.tokenId === 'tok_any'));
    // asking for someone else's records gives nothing
    const other = page(await auditEndpoint.handle(request(bob, { user: 'carol' }), deps));
    assert.equal(other.total, 0);
    const otherToken = page(await auditEndpoint.handle(request(bob, { tokenId: 'tok_carol' }), deps));
    assert.equal(otherToken.total, 0);
    const carolSees = page(await auditEndpoint.handle(request(carol, { maxResults: '1000' }), deps));
    assert.equal(carolSees.total, 6);
  });

  test('bad parameters are a 400 before anything is streamed', async () => {
    const bad: Record<string, string>[] = [
      { decision: 'nope' },
      { maxResults: '5000' },
      { from: 'soon', format: 'csv' },
      { format: 'xml' },
    ];
    for (const query of bad) {
      await assert.rejects(
        auditEndpoint.handle(request(admin, query), deps),
        (err: unknown) => err instanceof HttpError && err.status === 400,
      );
    }
  });

  test('a parameter given twice is a 400 that names it', async () => {
    const twice: AdminRequest = { ...request(admin), query: new Map([['decision', ['denied', 'allowed']]]) };
    await assert.rejects(
      auditEndpoint.handle(twice, deps),
      (err: unknown) => err instanceof HttpError && err.status === 400 && err.message === 'give decision at most once',
    );
  });

  test('format=csv streams the whole filtered range as a download', async () => {
    // more than one export page (1000) and more than maxResults
    const many = Array.from({ length: 2100 }, (_, i) =>
      record({ time: NOW - 100_000 + i, tokenId: 'tok_carol', user: 'carol', path: '/rest/bulk/x' }),
    );
    await t.store.insertAudit(many);
    const { headers, text } = await body(
      await auditEndpoint.handle(request(admin, { format: 'csv', path: '/rest/bulk/', maxResults: '5' }), deps),
    );
    assert.equal(headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(headers['content-disposition'], 'attachment; filename="tokengate-audit-2024-05-17.csv"');
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 2100);
    assert.equal(new Set(rows.map((r) => r.id)).size, 2100);
    assert.ok(Number(rows[0]?.timeMs) >= Number(rows[2099]?.timeMs), 'newest first');
  });

  test('format=ndjson streams JSON lines; non-admins export only what they may see', async () => {
    const { headers, text } = await body(await auditEndpoint.handle(request(bob, { format: 'ndjson' }), deps));
    assert.equal(headers['content-type'], 'application/x-ndjson');
    assert.equal(headers['content-disposition'], 'attachment; filename="tokengate-audit-2024-05-17.ndjson"');
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 32);
    for (const line of lines) {
      const r = JSON.parse(line) as { user: string | null; tokenId: string | null };
      assert.ok(r.user?.toLowerCase() === 'bob' || r.tokenId === 'tok_bob');
    }
  });
});
