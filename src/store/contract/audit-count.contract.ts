import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AUDIT_COUNT_BEYOND_PAGE } from '../kysely-store.js';
import { audit, type ContractContext, unique } from './contract-context.js';

/** The audit query's total is bounded: exact up to a cap past the page, then "at least". */
export function auditCountContract(ctx: ContractContext): void {
  describe('audit total (bounded count)', () => {
    test('exact below the cap; at the cap with totalIsLowerBound above it', async () => {
      const path = `/count/${unique('p')}`;
      const many = AUDIT_COUNT_BEYOND_PAGE + 60;
      for (let i = 0; i < many; i += 1000) {
        await ctx.store.insertAudit(
          Array.from({ length: Math.min(1000, many - i) }, (_, j) => audit({ path: `${path}/${i + j}`, time: i + j })),
        );
      }
      const page = await ctx.store.queryAudit({ path }, 0, 50);
      assert.equal(page.entries.length, 50);
      assert.equal(page.totalIsLowerBound, true);
      assert.equal(page.total, 50 + AUDIT_COUNT_BEYOND_PAGE);
      // a page near the end: everything is counted, the total is exact
      const near = await ctx.store.queryAudit({ path }, many - 100, 50);
      assert.deepEqual([near.total, near.totalIsLowerBound, near.entries.length], [many, false, 50]);
      const few = await ctx.store.queryAudit({ path, from: 0, to: 9 }, 0, 50);
      assert.deepEqual([few.total, few.totalIsLowerBound, few.entries.length], [10, false, 10]);
    });
  });
}
