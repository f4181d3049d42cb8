import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_SETTINGS } from '../store/models.js';
import { type EndpointHarness, startEndpointHarness } from './admin-endpoint.test-helpers.js';
import { settingsContract } from './settings-contract.js';
import { settingsEndpoint } from './settings-endpoint.js';

describe('GET /rest/extender/1.0/tokenTools/settings', () => {
  let h: EndpointHarness;

  before(async () => {
    h = await startEndpointHarness({ secureMode: true });
  });
  after(() => h.close());

  test('answers the runtime settings and the secure mode, in the contract shape', async () => {
    const answer = await h.ok(settingsEndpoint, h.admin);
    assert.deepEqual(settingsContract.responses[200].schema.parse(answer), {
      status: 'ok',
      settings: { ...DEFAULT_SETTINGS, secureMode: true },
    });
  });

  test('follows a settings change at once', async () => {
    await h.services.store.updateSettings({ auditLog: false });
    await h.deps.settingsHolder.refresh();
    const answer = await h.ok<{ settings: { auditLog: boolean } }>(settingsEndpoint, h.bob);
    assert.equal(answer.settings.auditLog, false);
  });
});
