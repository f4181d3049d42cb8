import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AuditFilter, AuditStatsRow, TimeRange } from '../models.js';
import { audit, type ContractContext, unique } from './contract-context.js';

const MINUTE = 60_000;
/** A whole number of days (so minute, hour and day buckets all start here). */
const T0 = Date.UTC(2026, 10, 1);

/** Rows in a stable order, as `bucket offset (minutes from T0) decision calls` strings. */
function lines(rows: readonly AuditStatsRow[]): string[] {
  return rows
    .map((r) => `${(r.bucketStart - T0) / MINUTE} ${r.decision} ${r.calls}`)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Calls per time bucket and decision, counted by the database, with the audit query's filters. */
export function auditStatsContract(ctx: ContractContext): void {
  describe('audit stats (calls per bucket and decision)', () => {
    /**
     * Under a unique path prefix: minute 0: 3 allowed (token A), 1 denied (token B); minute 1:
     * 2 denied (A), 1 refused (B); minute 2: 1 unauthenticated; minute 5: 1 error (A), 1 admin.
     */
    async function seed(): Promise<{ prefix: string; a: string; b: string; user: string }> {
      const prefix = `/${unique('stats')}/`;
      const a = `${prefix}tok-a`;
      const b = `${prefix}tok-b`;
      const user = unique('Charter');
      const at = (minute: number, second = 0) => T0 + minute * MINUTE + second * 1000;
      await ctx.store.insertAudit([
        audit({ time: at(0, 1), tokenId: a, user, path: `${prefix}api/space` }),
        audit({ time: at(0, 2), tokenId: a, user, path: `${prefix}api/space` }),
        audit({ time: at(0, 59), tokenId: a, user, path: `${prefix}api/content` }),
        audit({ time: at(0, 30), tokenId: b, user: 'someone', path: `${prefix}api/space`, decision: 'denied' }),
        audit({ time: at(1), tokenId: a, user, path: `${prefix}api/space`, decision: 'denied' }),
        audit({ time: at(1, 10), tokenId: a, user, path: `${prefix}api/space`, decision: 'denied' }),
        audit({ time: at(1, 20), tokenId: b, user: 'someone', path: `${prefix}api/space`, decision: 'refused' }),
        audit({ time: at(2), tokenId: null, user, path: `${prefix}api/space`, decision: 'unauthenticated' }),
        audit({ time: at(5), tokenId: a, user, path: `${prefix}api/space`, decision: 'error' }),
        audit({ time: at(5, 1), tokenId: null, user: 'admin', path: `${prefix}admin`, decision: 'admin' }),
      ]);
      return { prefix, a, b, user };
    }

    const wholeHour: TimeRange = { from: T0, to: T0 + 60 * MINUTE - 1 };
    const stats = (filter: AuditFilter, range = wholeHour, bucketMs = MINUTE) =>
      ctx.store.auditStats(filter, range, bucketMs).then(lines);

    test('counts per minute and decision, only buckets with calls', async () => {
      const { prefix } = await seed();
      assert.deepEqual(await stats({ path: prefix }), [
        '0 allowed 3',
        '0 denied 1',
        '1 denied 2',
        '1 refused 1',
        '2 unauthenticated 1',
        '5 admin 1',
        '5 error 1',
      ]);
    });

    test('larger buckets add up; buckets are aligned on multiples of their length', async () => {
      const { prefix } = await seed();
      assert.deepEqual(await stats({ path: prefix }, wholeHour, 60 * MINUTE), [
        '0 admin 1',
        '0 allowed 3',
        '0 denied 3',
        '0 error 1',
        '0 refused 1',
        '0 unauthenticated 1',
      ]);
      // 2-minute buckets: minutes 0–1 together, 2–3, 4–5
      assert.deepEqual(await stats({ path: prefix, decision: 'denied' }, wholeHour, 2 * MINUTE), ['0 denied 3']);
      assert.deepEqual(await stats({ path: prefix, decision: 'error' }, wholeHour, 2 * MINUTE), ['4 error 1']);
    });

    test('the audit filters apply: token, user, decision, path prefix', async () => {
      const { prefix, a, b, user } = await seed();
      assert.deepEqual(await stats({ path: prefix, tokenId: a }), ['0 allowed 3', '1 denied 2', '5 error 1']);
      assert.deepEqual(await stats({ path: prefix, tokenId: b }), ['0 denied 1', '1 refused 1']);
      assert.deepEqual(await stats({ path: prefix, user: user.toUpperCase(), decision: 'denied' }), ['1 denied 2']);
      assert.deepEqual(await stats({ path: `${prefix}api/content` }), ['0 allowed 1']);
      assert.deepEqual(await stats({ path: `${prefix}nothing` }), []);
    });

    test('the range bounds both ends, inclusive, whatever the filter says', async () => {
      const { prefix } = await seed();
      const minuteOne = { from: T0 + MINUTE, to: T0 + 2 * MINUTE };
      assert.deepEqual(await stats({ path: prefix }, minuteOne), ['1 denied 2', '1 refused 1', '2 unauthenticated 1']);
      // the range given wins over a from/to in the filter
      assert.deepEqual(await stats({ path: prefix, from: 0, to: T0 + 59 * MINUTE }, minuteOne), [
        '1 denied 2',
        '1 refused 1',
        '2 unauthenticated 1',
      ]);
      const lastSecondOfMinuteZero = { from: T0 + 59_000, to: T0 + 59_000 };
      assert.deepEqual(await stats({ path: prefix }, lastSecondOfMinuteZero), ['0 allowed 1']);
    });

    test('visibility ("own user" or "one of these tokens") applies as in the audit query', async () => {
      const { prefix, b, user } = await seed();
      assert.deepEqual(await stats({ path: prefix, ownUser: user, tokenIds: [] }), [
        '0 allowed 3',
        '1 denied 2',
        '2 unauthenticated 1',
        '5 error 1',
      ]);
      assert.deepEqual(await stats({ path: prefix, ownUser: unique('nobody'), tokenIds: [b] }), [
        '0 denied 1',
        '1 refused 1',
      ]);
      assert.deepEqual(await stats({ path: prefix, tokenIds: [] }), []);
    });

    test('a summary of aggregated unauthenticated attempts counts as the calls it stands for', async () => {
      const prefix = `/${unique('noise')}/`;
      await ctx.store.insertAudit([
        audit({ time: T0, path: prefix, decision: 'unauthenticated', reason: 'unknown token' }),
        audit({
          time: T0 + 59_999,
          path: prefix,
          decision: 'unauthenticated',
          reason: '41 more unauthenticated requests from this address in this minute; the last: unknown token',
        }),
        audit({
          time: T0 + MINUTE,
          path: prefix,
          decision: 'unauthenticated',
          reason: '1 more unauthenticated request from this address in this minute; the last: expired',
        }),
        // only the aggregator's summaries count more than once
        audit({ time: T0 + MINUTE, path: prefix, decision: 'denied', reason: '7 more unauthenticated requests' }),
        audit({ time: T0 + MINUTE, path: prefix, decision: 'unauthenticated', reason: '99 bottles' }),
      ]);
      assert.deepEqual(await stats({ path: prefix }), ['0 unauthenticated 42', '1 denied 1', '1 unauthenticated 2']);
    });

    test('day buckets over a long range; a bad bucket length is refused', async () => {
      const prefix = `/${unique('days')}/`;
      const day = 24 * 60 * MINUTE;
      await ctx.store.insertAudit([
        audit({ time: T0 - 1, path: prefix }),
        audit({ time: T0, path: prefix }),
        audit({ time: T0 + 3 * day + 5, path: prefix, decision: 'error' }),
      ]);
      const rows = await ctx.store.auditStats({ path: prefix }, { from: T0 - 400 * day, to: T0 + 400 * day }, day);
      assert.deepEqual(
        rows
          .map((r) => `${(r.bucketStart - T0) / day} ${r.decision} ${r.calls}`)
          .sort((x, y) => x.localeCompare(y, 'en', { numeric: true })),
        ['-1 allowed 1', '0 allowed 1', '3 error 1'],
      );
      await assert.rejects(ctx.store.auditStats({ path: prefix }, wholeHour, 0), RangeError);
    });

    test('oldestAuditTime: the oldest matching record, or null', async () => {
      const { prefix, b } = await seed();
      assert.equal(await ctx.store.oldestAuditTime({ path: prefix }), T0 + 1000);
      assert.equal(await ctx.store.oldestAuditTime({ path: prefix, tokenId: b }), T0 + 30_000);
      assert.equal(await ctx.store.oldestAuditTime({ path: prefix, decision: 'error' }), T0 + 5 * MINUTE);
      assert.equal(await ctx.store.oldestAuditTime({ path: prefix, from: T0 + 90_000 }), T0 + 2 * MINUTE);
      assert.equal(await ctx.store.oldestAuditTime({ path: `${prefix}none` }), null);
    });
  });
}
