import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_SETTINGS } from '../models.js';
import { type ContractContext, unique } from './contract-context.js';

/** Runtime settings (defaults, partial updates, shared) and metadata. */
export function settingsContract(ctx: ContractContext): void {
  describe('settings and meta', () => {
    test('settings start as the defaults; updates are partial, merged and shared', async () => {
      const second = await ctx.reopen();
      try {
        assert.deepEqual(await ctx.store.getSettings(), DEFAULT_SETTINGS);
        const updated = await ctx.store.updateSettings({ authType: 'both', auditLog: false });
        assert.deepEqual(updated, { ...DEFAULT_SETTINGS, authType: 'both', auditLog: false });
        assert.deepEqual(await second.getSettings(), updated);
        const again = await second.updateSettings({ extenderEndpointsOnly: true, authType: undefined });
        assert.deepEqual(again, { ...updated, extenderEndpointsOnly: true });
        assert.deepEqual(await ctx.store.getSettings(), again);
        assert.deepEqual(await ctx.store.updateSettings({}), again);
        await ctx.store.updateSettings({ ...DEFAULT_SETTINGS });
        assert.deepEqual(await ctx.store.getSettings(), DEFAULT_SETTINGS);
      } finally {
        await second.close();
      }
    });

    test('meta: missing is undefined; set overwrites', async () => {
      const key = unique('meta.');
      assert.equal(await ctx.store.getMeta(key), undefined);
      await ctx.store.setMeta(key, 'one');
      assert.equal(await ctx.store.getMeta(key), 'one');
      await ctx.store.setMeta(key, 'two');
      assert.equal(await ctx.store.getMeta(key), 'two');
      const second = await ctx.reopen();
      try {
        assert.equal(await second.getMeta(key), 'two');
      } finally {
        await second.close();
      }
    });
  });
}
