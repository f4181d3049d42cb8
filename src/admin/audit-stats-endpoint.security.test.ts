import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestStore, record, type TestStore, tokenRecord } from '../audit/audit.test-helpers.js';
import { DEFAULT_SETTINGS } from '../store/models.js';
import { useBlackBox } from '../testing/black-box.js';
import { basic } from '../testing/http.js';
import { testConfig } from '../testing/test-config.js';
import type { AdminDeps } from './admin-endpoint.js';
import { auditStatsEndpoint } from './audit-stats-endpoint.js';
import { stats, statsRequest, user } from './audit-stats-endpoint.test-helpers.js';

const NOW = Date.UTC(2024, 4, 17, 9, 30);
const TOOLS = '/rest/extender/1.0/tokenTools';

describe('GET tokenTools/auditStats: a user counts only what the audit query shows them', () => {
  let t: TestStore;
  let deps: AdminDeps;

  before(async () => {
    t = await openTestStore();
    deps = { config: testConfig('./data'), store: t.store, settings: () => DEFAULT_SETTINGS, now: () => NOW };
    await t.store.insertToken(tokenRecord('tok_bob', 'bob'));
    await t.store.insertToken(tokenRecord('tok_carol', 'carol'));
    await t.store.insertAudit([
      ...Array.from({ length: 4 }, (_, i) => record({ time: NOW - 5000 + i, tokenId: 'tok_bob', user: 'bob' })),
      // someone else presenting bob's token: bob sees it (his token)
      record({ time: NOW - 4000, tokenId: 'tok_bob', user: 'mallory', decision: 'unauthenticated' }),
      // carol's calls: bob must not see them, nor their count
      ...Array.from({ length: 7 }, (_, i) =>
        record({ time: NOW - 30 * 86_400_000 + i, tokenId: 'tok_carol', user: 'carol', decision: 'denied' }),
      ),
    ]);
  });

  after(async () => {
    await t?.close();
  });

  test("bob's chart holds bob's calls and his token's, never carol's — whatever he asks", async () => {
    const bob = user('bob');
    const mine = stats(await auditStatsEndpoint.handle(statsRequest(bob), deps));
    assert.deepEqual(mine.totals, { allowed: 4, denied: 0, unauthenticated: 1, error: 0 });
    // the default start is not carol's oldest record (which would reveal that older records exist)
    assert.equal(mine.from, NOW - 3_600_000);
    const queries: Record<string, string>[] = [
      { user: 'carol' },
      { tokenId: 'tok_carol' },
      { decision: 'denied' },
      { from: String(NOW - 60 * 86_400_000) },
    ];
    for (const query of queries) {
      const other = stats(await auditStatsEndpoint.handle(statsRequest(bob, query), deps));
      assert.equal(other.totals.denied, 0, JSON.stringify(query));
      assert.ok(other.total <= 5, JSON.stringify(query));
    }
    const admin = stats(await auditStatsEndpoint.handle(statsRequest(user('root', true)), deps));
    assert.deepEqual(admin.totals, { allowed: 4, denied: 7, unauthenticated: 1, error: 0 });
  });
});

describe('GET tokenTools/auditStats through the gateway: the audit query’s access rule', () => {
  let rootFull: { id: string; token: string };
  let namesStats: { id: string; token: string };
  let namesAudit: { id: string; token: string };
  let unbound: { id: string; token: string };
  let bobFull: { id: string; token: string };
  const box = useBlackBox({
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'root', '--admin']).status, 0);
      assert.equal(b.cli(['user', 'add', 'bob']).status, 0);
      rootFull = b.createToken(['--label', 'root full', '--user', 'root']);
      namesStats = b.createToken([
        '--label',
        'stats only',
        '--user',
        'root',
        '--limit-to',
        '[GET].*/rest/extender/1\\.0/tokenTools/auditStats',
      ]);
      namesAudit = b.createToken([
        '--label',
        'audit only',
        '--user',
        'root',
        '--limit-to',
        '[GET].*/rest/extender/1\\.0/tokenTools/audit.*',
      ]);
      unbound = b.createToken(['--label', 'anyone']);
      bobFull = b.createToken(['--label', 'bob full', '--user', 'bob']);
    },
  });

  const get = async (authorization: string, query = '') => {
    const response = await fetch(`${box.url}${TOOLS}/auditStats${query}`, { headers: { authorization } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  test('an unrestricted bound token and a rule naming auditStats may; a rule for audit, an unbound token may not', async () => {
    // a few calls to count
    for (let i = 0; i < 3; i++) {
      const ok = await fetch(`${box.url}/rest/api/space`, {
        headers: { authorization: basic('root', rootFull.token) },
      });
      assert.equal(ok.status, 200);
    }
    // audit records are written in batches: ask until they are there
    let full = await get(basic('root', rootFull.token), `?tokenId=${rootFull.id}`);
    for (let i = 0; i < 100 && full.status === 200 && (full.body.totals as { allowed: number }).allowed < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      full = await get(basic('root', rootFull.token), `?tokenId=${rootFull.id}`);
    }
    assert.equal(full.status, 200, JSON.stringify(full.body));
    // the three calls, and the stats calls made so far with this token
    assert.ok((full.body.totals as { allowed: number }).allowed >= 3, JSON.stringify(full.body.totals));
    const named = await get(basic('root', namesStats.token), `?tokenId=${rootFull.id}`);
    assert.equal(named.status, 200, JSON.stringify(named.body));
    assert.ok((named.body.totals as { allowed: number }).allowed >= 3);
    // the rule names tokenTools/audit (and its regex matches auditStats): it grants audit only
    const audit = await get(basic('root', namesAudit.token));
    assert.equal(audit.status, 403);
    assert.match(
      String(audit.body.message),
      /only when the rule that allows the call names it \(…\/tokenTools\/auditStats\)/,
    );
    const anyone = await get(basic('root', unbound.token));
    assert.equal(anyone.status, 403);
    assert.match(String(anyone.body.message), /unbound token cannot use the admin API/);
    for (const answer of [full, named, audit, anyone]) assert.doesNotMatch(JSON.stringify(answer.body), /tgp_/);
  });

  test("a non-administrator's answer counts none of root's calls", async () => {
    const bob = await get(basic('bob', bobFull.token), `?tokenId=${rootFull.id}`);
    assert.equal(bob.status, 200, JSON.stringify(bob.body));
    assert.equal(bob.body.total, 0);
  });

  test('a bad range through the gateway: 400 with the one error shape', async () => {
    const bad = await get(basic('root', rootFull.token), '?from=2024-05-01&to=2024-05-03&bucket=minute');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.status, 'error');
    assert.equal(bad.body.code, 'too_many_buckets');
  });
});
