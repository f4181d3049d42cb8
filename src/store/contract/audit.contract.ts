import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exportHeader, exportLines } from '../audit-export.js';
import type { AuditFilter, AuditRecord, StoredAuditRecord } from '../models.js';
import type { Store } from '../store.js';
import { audit, type ContractContext, unique } from './contract-context.js';

/**
 * How many records match `filter`, exactly: the query's total is exact when fewer than its bound
 * past the page match, so the page is moved further out (quadrupling) while it says "at least".
 */
async function exactTotal(store: Store, filter: AuditFilter): Promise<number> {
  let startAt = 0;
  for (;;) {
    const page = await store.queryAudit(filter, startAt, 1);
    if (!page.totalIsLowerBound) return page.total;
    startAt = page.total * 4;
  }
}

function strip(r: StoredAuditRecord): AuditRecord {
  const { id: _id, ...rest } = r;
  return rest;
}

async function collect(iterable: AsyncIterable<StoredAuditRecord>): Promise<StoredAuditRecord[]> {
  const out: StoredAuditRecord[] = [];
  for await (const r of iterable) out.push(r);
  return out;
}

/** Audit log: inserts, every filter, paging, iteration, follow and retention. */
export function auditContract(ctx: ContractContext): void {
  describe('audit', () => {
    /** Ten records under a unique path prefix, times t0+0 … t0+9 (inserted out of order). */
    async function seed(): Promise<{ prefix: string; t0: number; records: AuditRecord[] }> {
      const prefix = `/${unique('p')}/`;
      const t0 = 1_700_000_000_000;
      const user = unique('Auditor');
      const records: AuditRecord[] = [];
      for (let i = 0; i < 10; i++) {
        records.push(
          audit({
            time: t0 + i,
            tokenId: i % 2 === 0 ? `${prefix}tok-even` : `${prefix}tok-odd`,
            tokenLabel: `label ${i}`,
            user: i < 5 ? user : `${user}-other`,
            authMethod: i === 9 ? null : 'bearer',
            path: `${prefix}${i < 3 ? 'api/space' : 'api/content'}/${i}`,
            query: `n=${i}`,
            decision: i % 3 === 0 ? 'denied' : 'allowed',
            reason: i % 3 === 0 ? 'no rule matched' : '',
            upstreamStatus: i % 3 === 0 ? null : 200,
            durationMs: i,
            node: 'node-x',
          }),
        );
      }
      const shuffled = [
        records[5],
        records[0],
        records[9],
        records[3],
        records[1],
        records[8],
        records[2],
        records[7],
        records[4],
        records[6],
      ];
      await ctx.store.insertAudit(shuffled.filter((r): r is AuditRecord => r !== undefined));
      return { prefix, t0, records };
    }

    const times = (entries: readonly StoredAuditRecord[], t0: number): number[] => entries.map((e) => e.time - t0);

    test('insertAudit then queryAudit: every field round-trips, newest first, total counted', async () => {
      const { prefix, t0, records } = await seed();
      const page = await ctx.store.queryAudit({ path: prefix }, 0, 100);
      assert.equal(page.total, 10);
      assert.deepEqual(times(page.entries, t0), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      assert.deepEqual(page.entries.map(strip), [...records].reverse());
      assert.equal(new Set(page.entries.map((e) => e.id)).size, 10);
      assert.ok(page.entries.every((e) => Number.isSafeInteger(e.id) && e.id > 0));
    });

    test('each filter: tokenId, user (any case), decision, from/to, path prefix', async () => {
      const { prefix, t0, records } = await seed();
      const q = async (filter: Parameters<typeof ctx.store.queryAudit>[0]) => {
        const page = await ctx.store.queryAudit({ path: prefix, ...filter }, 0, 100);
        assert.equal(page.total, page.entries.length);
        return times(page.entries, t0);
      };
      assert.deepEqual(await q({ tokenId: `${prefix}tok-even` }), [8, 6, 4, 2, 0]);
      assert.deepEqual(await q({ user: records[0]?.user?.toUpperCase() }), [4, 3, 2, 1, 0]);
      assert.deepEqual(await q({ decision: 'denied' }), [9, 6, 3, 0]);
      assert.deepEqual(await q({ from: t0 + 7 }), [9, 8, 7]);
      assert.deepEqual(await q({ to: t0 + 2 }), [2, 1, 0]);
      assert.deepEqual(await q({ from: t0 + 2, to: t0 + 4 }), [4, 3, 2]);
      assert.deepEqual(await q({ path: `${prefix}api/space` }), [2, 1, 0]);
      assert.deepEqual(await q({ path: `${prefix}api/content/` }), [9, 8, 7, 6, 5, 4, 3]);
      assert.deepEqual(await q({ decision: 'allowed', tokenId: `${prefix}tok-odd`, from: t0 + 2 }), [7, 5]);
      assert.deepEqual(await q({ user: 'nobody-of-that-name' }), []);
    });

    test('path prefix is literal: % and _ are no wildcards, case matters', async () => {
      const prefix = `/${unique('lit')}/`;
      await ctx.store.insertAudit([
        audit({ path: `${prefix}a_b%c/x` }),
        audit({ path: `${prefix}aXbYc/x` }),
        audit({ path: `${prefix}A_B%C/x` }),
      ]);
      const page = await ctx.store.queryAudit({ path: `${prefix}a_b%c` }, 0, 10);
      assert.deepEqual(
        page.entries.map((e) => e.path),
        [`${prefix}a_b%c/x`],
      );
    });

    test('tokenIds and ownUser: either one matches; empty tokenIds alone matches nothing', async () => {
      const { prefix, t0, records } = await seed();
      const own = records[0]?.user ?? '';
      const q = async (filter: Parameters<typeof ctx.store.queryAudit>[0]) =>
        times((await ctx.store.queryAudit({ path: prefix, ...filter }, 0, 100)).entries, t0);
      assert.deepEqual(await q({ tokenIds: [`${prefix}tok-odd`] }), [9, 7, 5, 3, 1]);
      assert.deepEqual(await q({ ownUser: own.toLowerCase() }), [4, 3, 2, 1, 0]);
      assert.deepEqual(await q({ ownUser: own, tokenIds: [`${prefix}tok-odd`] }), [9, 7, 5, 4, 3, 2, 1, 0]);
      assert.deepEqual(await q({ ownUser: 'nobody', tokenIds: [] }), []);
      assert.deepEqual(await q({ tokenIds: [] }), []);
      assert.deepEqual(await q({ ownUser: own, tokenIds: [], decision: 'denied' }), [3, 0]);
    });

    test('visibility across pages: startAt, iteration, duplicates, more token ids than branches', async () => {
      const prefix = `/${unique('vis')}/`;
      const own = unique('Owner');
      const records = Array.from({ length: 30 }, (_, i) =>
        audit({
          time: 5000 + i,
          path: `${prefix}${i}`,
          tokenId: `${prefix}t${i % 3}`,
          user: i % 2 === 0 ? own : 'someone-else',
          decision: i % 5 === 0 ? 'denied' : 'allowed',
        }),
      );
      await ctx.store.insertAudit(records);
      const visible = (r: AuditRecord): boolean =>
        r.user === own || r.tokenId === `${prefix}t1` || r.tokenId === `${prefix}t2`;
      const expected = records
        .filter(visible)
        .map((r) => r.time - 5000)
        .reverse();
      const many = Array.from({ length: 100 }, (_, i) => `${prefix}none${i}`);
      for (const tokenIds of [
        [`${prefix}t1`, `${prefix}t2`, `${prefix}t1`],
        [...many, `${prefix}t1`, `${prefix}t2`],
      ]) {
        const filter = { path: prefix, ownUser: own.toUpperCase(), tokenIds };
        const pages: number[] = [];
        for (let startAt = 0; startAt < 40; startAt += 7) {
          const page = await ctx.store.queryAudit(filter, startAt, 7);
          assert.equal(page.total, expected.length);
          pages.push(...page.entries.map((e) => e.time - 5000));
        }
        assert.deepEqual(pages, expected, `${tokenIds.length} token ids`);
        assert.deepEqual(
          (await collect(ctx.store.iterateAudit(filter, 4))).map((e) => e.time - 5000),
          expected,
        );
        const denied = await ctx.store.queryAudit({ ...filter, decision: 'denied' }, 0, 100);
        assert.deepEqual(
          denied.entries.map((e) => e.time - 5000),
          expected.filter((t) => t % 5 === 0),
        );
      }
    });

    test('paging: startAt and maxResults over the newest-first order', async () => {
      const { prefix, t0 } = await seed();
      const first = await ctx.store.queryAudit({ path: prefix }, 0, 4);
      const second = await ctx.store.queryAudit({ path: prefix }, 4, 4);
      const third = await ctx.store.queryAudit({ path: prefix }, 8, 4);
      const beyond = await ctx.store.queryAudit({ path: prefix }, 20, 4);
      assert.deepEqual(times(first.entries, t0), [9, 8, 7, 6]);
      assert.deepEqual(times(second.entries, t0), [5, 4, 3, 2]);
      assert.deepEqual(times(third.entries, t0), [1, 0]);
      assert.deepEqual(beyond.entries, []);
      for (const p of [first, second, third, beyond]) assert.equal(p.total, 10);
    });

    test('records with the same time come newest (highest id) first', async () => {
      const prefix = `/${unique('same')}/`;
      await ctx.store.insertAudit([audit({ time: 42, path: `${prefix}1` }), audit({ time: 42, path: `${prefix}2` })]);
      await ctx.store.insertAudit([audit({ time: 42, path: `${prefix}3` })]);
      const page = await ctx.store.queryAudit({ path: prefix }, 0, 10);
      assert.deepEqual(
        page.entries.map((e) => e.path),
        [`${prefix}3`, `${prefix}2`, `${prefix}1`],
      );
      const ids = page.entries.map((e) => e.id);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => b - a),
      );
    });

    test('iterateAudit yields every match in the query order, across page boundaries', async () => {
      const { prefix } = await seed();
      const page = await ctx.store.queryAudit({ path: prefix }, 0, 100);
      for (const size of [1, 3, 10, 11, 1000]) {
        assert.deepEqual(
          await collect(ctx.store.iterateAudit({ path: prefix }, size)),
          page.entries,
          `page size ${size}`,
        );
      }
      const denied = await collect(ctx.store.iterateAudit({ path: prefix, decision: 'denied' }, 2));
      assert.deepEqual(denied, (await ctx.store.queryAudit({ path: prefix, decision: 'denied' }, 0, 100)).entries);
      assert.deepEqual(await collect(ctx.store.iterateAudit({ path: `/${unique('none')}` })), []);
    });

    test('iterateAudit pages through equal times without losing or repeating records', async () => {
      const prefix = `/${unique('eq')}/`;
      await ctx.store.insertAudit(Array.from({ length: 25 }, (_, i) => audit({ time: 7, path: `${prefix}${i}` })));
      const all = await collect(ctx.store.iterateAudit({ path: prefix }, 4));
      assert.equal(all.length, 25);
      assert.equal(new Set(all.map((r) => r.id)).size, 25);
    });

    test('exportAudit writes what the export format makes of iterateAudit, page by page, in both formats', async () => {
      const prefix = `/${unique('export')}/`;
      const tricky = ['=HYPERLINK("x")', 'a,b "c"', 'line\r\nbreak', 'sep\u2028x\u2029', 'ünïcödé ✓', ''];
      await ctx.store.insertAudit(
        Array.from({ length: 23 }, (_, i) =>
          audit({
            time: 9_000 + (i % 4), // equal times across page boundaries
            path: `${prefix}${i}`,
            tokenId: i % 2 === 0 ? `${prefix}even` : null,
            user: i % 3 === 0 ? 'Exporter' : null,
            userAgent: tricky[i % tricky.length] ?? '',
            reason: tricky[(i + 1) % tricky.length] ?? '',
            upstreamStatus: i % 5 === 0 ? null : 200,
          }),
        ),
      );
      const filters: AuditFilter[] = [
        { path: prefix },
        { path: prefix, decision: 'allowed' },
        { path: prefix, ownUser: 'exporter', tokenIds: [`${prefix}even`] },
        { path: `${prefix}none` },
      ];
      for (const filter of filters) {
        const records = await collect(ctx.store.iterateAudit(filter, 1000));
        for (const format of ['csv', 'ndjson'] as const) {
          for (const size of [1, 4, 1000]) {
            const chunks: string[] = [];
            for await (const chunk of ctx.store.exportAudit(filter, format, size)) chunks.push(chunk);
            const label = `${JSON.stringify(filter)} ${format} page ${size}`;
            assert.equal(chunks.join(''), exportHeader(format) + exportLines(records, format), label);
            const header = format === 'csv' ? 1 : 0;
            assert.equal(chunks.length, header + Math.ceil(records.length / size), `${label}: one chunk per page`);
          }
        }
      }
    });

    test('auditAfter: records after an id, oldest first, limited', async () => {
      const prefix = `/${unique('after')}/`;
      await ctx.store.insertAudit([audit({ path: `${prefix}marker` })]);
      const lastId = (await ctx.store.queryAudit({ path: `${prefix}marker` }, 0, 1)).entries[0]?.id ?? 0;
      assert.ok(lastId > 0);
      await ctx.store.insertAudit(Array.from({ length: 5 }, (_, i) => audit({ path: `${prefix}${i}` })));
      const after = await ctx.store.auditAfter(lastId, 3);
      assert.deepEqual(
        after.map((r) => r.path),
        [`${prefix}0`, `${prefix}1`, `${prefix}2`],
      );
      const rest = await ctx.store.auditAfter(after[2]?.id ?? 0, 100);
      assert.deepEqual(
        rest.map((r) => r.path),
        [`${prefix}3`, `${prefix}4`],
      );
      assert.deepEqual(await ctx.store.auditAfter(rest[1]?.id ?? 0, 100), []);
    });

    test('a large batch (more rows than one statement may bind) is inserted whole', async () => {
      const prefix = `/${unique('bulk')}/`;
      const records = Array.from({ length: 9000 }, (_, i) => audit({ time: 1_000_000 + i, path: `${prefix}${i}` }));
      await ctx.store.insertAudit(records);
      assert.equal(await exactTotal(ctx.store, { path: prefix }), 9000);
      await ctx.store.insertAudit([]);
    });

    test('pruneAudit deletes at most `limit` of the records older than `before`, oldest first', async () => {
      const second = await ctx.reopen();
      try {
        // prune everything older than the seeded times first, so only our rows are in range
        const old = 1_000_000_000;
        const prefix = `/${unique('prune')}/`;
        await ctx.store.insertAudit(
          Array.from({ length: 2500 }, (_, i) => audit({ time: old + i, path: `${prefix}${i}` })),
        );
        await ctx.store.insertAudit([audit({ time: old + 10_000, path: `${prefix}keep` })]);
        for (let n = 1000; n === 1000; ) n = await second.pruneAudit(old, 1000);
        assert.equal(await ctx.store.pruneAudit(old + 100, 60), 60);
        assert.equal(await exactTotal(ctx.store, { path: prefix }), 2501 - 60);
        const oldest = await collect(ctx.store.iterateAudit({ path: prefix, to: old + 59 }));
        assert.deepEqual(oldest, [], 'the oldest went first');
        assert.equal(await ctx.store.pruneAudit(old + 2500, 1_000_000), 2500 - 60);
        const kept = await ctx.store.queryAudit({ path: prefix }, 0, 10);
        assert.deepEqual(
          kept.entries.map((e) => e.path),
          [`${prefix}keep`],
        );
        assert.equal(await ctx.store.pruneAudit(old + 2500, 10), 0);
      } finally {
        await second.close();
      }
    });

    test('insertAudit with maxRows keeps at most maxRows records, deleting the oldest first', async () => {
      const total = () => exactTotal(ctx.store, {});
      const before = await total();
      const prefix = `/${unique('bound')}/`;
      const maxRows = before + 100;
      const rows = Array.from({ length: 300 }, (_, i) => audit({ time: 2_000_000_000 + i, path: `${prefix}${i}` }));
      let pruned = 0;
      for (let i = 0; i < rows.length; i += 50) {
        pruned += (await ctx.store.insertAudit(rows.slice(i, i + 50), { maxRows })).pruned;
        assert.ok((await total()) <= maxRows, 'never over the bound once a batch is committed');
      }
      const after = await total();
      assert.equal(pruned, before + 300 - after);
      const newest = await ctx.store.queryAudit({ path: prefix }, 0, 100);
      assert.deepEqual(
        newest.entries.map((e) => e.path),
        Array.from({ length: 100 }, (_, i) => `${prefix}${299 - i}`),
        'the newest are kept',
      );
      const five = await ctx.store.pruneAuditOverflow(after - 10, 5);
      assert.ok(five >= 1 && five <= 5, `deleted ${five}`);
      assert.equal(await ctx.store.pruneAuditOverflow(1_000_000_000, 1000), 0);
      assert.equal(
        (await ctx.store.insertAudit([audit({ path: `${prefix}x` })])).pruned,
        0,
        'no bound: nothing pruned',
      );
    });
  });
}
