import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_SETTINGS } from '../store/models.js';
import { type EndpointHarness, httpError, startEndpointHarness } from './admin-endpoint.test-helpers.js';
import { setEndpoint } from './set-endpoint.js';

describe('POST /rest/extender/1.0/tokenTools/set (bad input)', () => {
  let h: EndpointHarness;

  before(async () => {
    h = await startEndpointHarness({ maxExpiryDays: 90 });
  });
  after(() => h.close());

  test('each bad body is a 400 that names what is wrong, and nothing changes', async () => {
    const cases: [unknown, string | RegExp][] = [
      [[{ label: 'x' }], 'the request body must be a JSON object'],
      ['label', 'the request body must be a JSON object'],
      [{}, 'the body is empty: send token fields (label, …) or settings'],
      [{ label: 'x', labels: 'y', colour: 1 }, 'unknown fields: "labels", "colour"'],
      // unknown fields come first, then the mix, then the values
      [{ label: 5, auditLog: 'no', extra: 1 }, 'unknown field: "extra"'],
      [
        { label: 'x', authType: 'basic', auditLog: false },
        'send token fields (label) and settings (authType, auditLog) in separate calls',
      ],
      [{ label: 5, auditLog: 'no' }, 'send token fields (label) and settings (auditLog) in separate calls'],
      [{ authType: 'digest' }, 'authType must be "basic", "bearer" or "both"'],
      [{ authType: 1 }, 'authType must be "basic", "bearer" or "both"'],
      [{ auditLog: 'yes' }, 'auditLog must be true or false'],
      [{ authType: 'both', usageDetails: 1 }, 'usageDetails must be true or false'],
      [{ label: 42 }, 'label must be a string'],
      [{ label: '' }, /^label is required/],
      [{ label: 'x', daysUntilExpiry: true }, /^daysUntilExpiry must be a whole number of days/],
      [{ label: 'x', daysUntilExpiry: 'soon' }, /^daysUntilExpiry must be a whole number of days/],
      [{ label: 'x', daysUntilExpiry: 0 }, /^tokens must expire on this server/],
      [{ label: 'x', daysUntilExpiry: 91 }, /^daysUntilExpiry must be at most 90/],
      [{ label: 'x', userName: ['bob'] }, 'userName must be a string'],
      [{ label: 'x', limitTo: 7 }, 'limitTo must be a string: one rule per line'],
      [{ label: 'x', daysUntilExpiry: 1, limitTo: '[NOPE' }, /^limitTo: /],
      [{ label: 'x', token: 1234567890123456 }, 'token must be a string'],
    ];
    for (const [body, message] of cases) {
      await assert.rejects(
        h.call(setEndpoint, h.admin, { body }),
        httpError(message === 'the request body must be a JSON object' ? 'invalid_json' : 'invalid_input', message),
        JSON.stringify(body),
      );
    }
    assert.equal((await h.services.store.listTokens()).length, 0);
    // the defaults, with the policy the node published from its configuration at start
    assert.deepEqual(await h.services.store.getSettings(), {
      ...DEFAULT_SETTINGS,
      maxExpiryDays: h.services.config.maxExpiryDays,
    });
    assert.deepEqual(h.actions, []);
  });

  test('a chosen token value that is already in use is 409, without saying whose', async () => {
    const { secret } = await h.services.tokens.create({ label: 'first', daysUntilExpiry: 1 }, h.admin);
    await assert.rejects(
      h.call(setEndpoint, h.admin, { body: { label: 'second', daysUntilExpiry: 1, token: secret } }),
      httpError('conflict', 'this token value is already in use'),
    );
  });
});
