/**
 * The page's token search, sort and paging run in SQL (`Store.pageTokens`). This test holds the
 * SQL to the in-memory definition (`applyTokenQuery`) on the same tokens, for every sort key,
 * both directions, several searches (LIKE wildcards included) and pages, on SQLite and (when
 * reachable) PostgreSQL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TokenRecord } from '../store/models.js';
import { openStore } from '../store/open-store.js';
import {
  dropSchema,
  freshSchema,
  postgresSkipReason,
  urlWithSchema,
} from '../store/postgres/postgres-test-db.test-helpers.js';
import type { Store } from '../store/store.js';
import {
  applyTokenQuery,
  EXPIRY_FILTERS,
  expiryRange,
  type ListedToken,
  parseTokenQuery,
  SORT_KEYS,
} from './token-query.js';

const USERS = [
  { username: 'Ann', displayName: 'Ann Ansible' },
  { username: 'bob', displayName: null },
  { username: 'carol', displayName: 'Carol 50% Off' },
];
const LABELS = ['deploy', 'CI deploy', 'ansible runner', 'backup', 'backup', 'zeta', 'Alpha', 'ci_cd', 'a%b'];

function records(): TokenRecord[] {
  return Array.from({ length: 45 }, (_, i) => ({
    id: `tok${String(i).padStart(3, '0')}`,
    label: `${LABELS[i % LABELS.length]}${i % 4 === 0 ? '' : ` ${String.fromCharCode(97 + (i % 26))}`}`,
    user: i % 5 === 0 ? null : (USERS[i % USERS.length]?.username ?? null),
    author: 'admin',
    limitTo: '',
    digest: `digest-${i}`,
    secretCiphertext: null,
    // distinct creation times: ties on the sort key are broken by them alone
    dateCreated: 1_000_000 + ((i * 7919) % 45) * 1000,
    validUntil: i % 3 === 0 ? 0 : 2_000_000 + ((i * 31) % 11) * 1000,
    counter: (i * 13) % 7,
    ip: null,
    lastUsed: (i * 17) % 5,
  }));
}

function listed(record: TokenRecord): ListedToken {
  const user = USERS.find((u) => u.username === record.user);
  return {
    ...record,
    rateLimit: null,
    quota: null,
    quotaRemaining: null,
    allowedIps: '',
    expired: false,
    userDisplayName: record.user === null ? null : (user?.displayName ?? record.user),
    userKey: record.user === null ? null : record.user.toLowerCase(),
    authorKey: record.author === null ? null : record.author.toLowerCase(),
  };
}

function suite(
  name: string,
  open: () => Promise<{ store: Store; cleanup: () => Promise<void> }>,
  skip: string | false,
) {
  describe(name, { skip }, () => {
    let store: Store;
    let cleanup: () => Promise<void> = async () => {};
    const all = records();
    before(async () => {
      ({ store, cleanup } = await open());
      for (const u of USERS)
        await store.createUser({ username: u.username, ...(u.displayName !== null && { displayName: u.displayName }) });
      for (const r of all) await store.insertToken(r);
    });
    after(() => cleanup());

    test('every sort, direction, search and page matches the definition', async () => {
      const expected = all.map(listed);
      for (const sort of SORT_KEYS) {
        for (const dir of ['asc', 'desc']) {
          for (const q of ['', 'back', 'ANS', '50%', '_', 'a%b', 'nothing-matches']) {
            for (const startAt of ['0', '7']) {
              const query = parseTokenQuery(
                new Map([
                  ['q', [q]],
                  ['sort', [sort]],
                  ['dir', [dir]],
                  ['startAt', [startAt]],
                  ['maxResults', ['10']],
                ]),
              );
              const want = applyTokenQuery(expected, query);
              const got = await store.pageTokens(query);
              const what = `sort=${sort} dir=${dir} q=${q} startAt=${startAt}`;
              assert.equal(got.total, want.total, what);
              assert.deepEqual(
                got.tokens.map((t) => t.id),
                want.tokens.map((t) => t.id),
                what,
              );
            }
          }
        }
      }
    });

    test('the expired and expiring filters match the definition, with searches, sorts and visibility', async () => {
      const expected = all.map(listed);
      // validUntil runs from 2,000,000 to 2,010,000: this window splits it into all three kinds
      const window = { now: 2_004_000, expiringDays: 3000 / 86_400_000 };
      const kinds = new Map<string, number>();
      for (const expiry of EXPIRY_FILTERS) {
        for (const sort of ['created', 'expiry', 'label'] as const) {
          for (const q of ['', 'back', 'ANS']) {
            const query = parseTokenQuery(
              new Map([
                ['q', [q]],
                ['sort', [sort]],
                ['expiry', [expiry]],
                ['maxResults', ['10']],
              ]),
            );
            const want = applyTokenQuery(expected, query, window);
            const { expiry: _filter, ...paging } = query;
            const got = await store.pageTokens({ ...paging, validUntil: expiryRange(expiry, window) });
            const what = `expiry=${expiry} sort=${sort} q=${q}`;
            assert.equal(got.total, want.total, what);
            assert.deepEqual(
              got.tokens.map((t) => t.id),
              want.tokens.map((t) => t.id),
              what,
            );
            if (q === '') kinds.set(expiry, got.total);
          }
        }
      }
      // the filters are not vacuous: each keeps some tokens and leaves out others
      const withExpiry = all.filter((r) => r.validUntil !== 0).length;
      for (const expiry of EXPIRY_FILTERS) {
        const count = kinds.get(expiry) ?? 0;
        assert.ok(count > 0 && count < withExpiry, `${expiry}: ${count} of ${withExpiry}`);
      }
      const bobs = await store.pageTokens({
        user: 'BOB',
        validUntil: expiryRange('expired', window),
        startAt: 0,
        maxResults: 100,
      });
      assert.equal(
        bobs.total,
        all.filter((r) => r.user === 'bob' && r.validUntil > 0 && r.validUntil <= window.now).length,
      );
      assert.ok(bobs.total > 0);
    });

    test('visibility: only the tokens of one user, case-insensitively', async () => {
      const page = await store.pageTokens({ user: 'ANN', startAt: 0, maxResults: 100 });
      assert.equal(page.total, all.filter((r) => r.user === 'Ann').length);
      assert.ok(page.tokens.every((t) => t.user === 'Ann' && t.userDisplayName === 'Ann Ansible'));
    });

    test('users are paged and searched in SQL', async () => {
      assert.deepEqual(
        (await store.pageUsers({ startAt: 0, maxResults: 10 })).map((u) => u.username),
        ['Ann', 'bob', 'carol'],
      );
      assert.deepEqual(
        (await store.pageUsers({ search: '50%', startAt: 0, maxResults: 10 })).map((u) => u.username),
        ['carol'],
      );
      assert.deepEqual(
        (await store.pageUsers({ startAt: 1, maxResults: 1 })).map((u) => u.username),
        ['bob'],
      );
    });
  });
}

suite(
  'token page in SQL (SQLite)',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokengate-token-page-'));
    const store = await openStore({ dataDir: dir, databaseUrl: null });
    return {
      store,
      cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  false,
);

const pgSkip = await postgresSkipReason();
suite(
  'token page in SQL (PostgreSQL)',
  async () => {
    const schema = freshSchema();
    const store = await openStore({ dataDir: '/nonexistent-data-dir', databaseUrl: urlWithSchema(schema) });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await dropSchema(schema);
      },
    };
  },
  pgSkip,
);
