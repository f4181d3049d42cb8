import { defineEndpoint } from './admin-endpoint.js';
import { setContract } from './set-contract.js';
import { changeSettings, describeSettingsPatch, namesSetting, settingsPatchOf } from './settings-change.js';
import type { TokenToolsDeps } from './token-tools-deps.js';

/**
 * Creates a token or, for administrators, changes settings (see {@link setContract}).
 *
 * @example
 * curl -u admin:TOKEN -H 'Content-Type: application/json' \
 *   -d '{"label":"ci","userName":"ansible","daysUntilExpiry":30,"limitTo":"[GET].*\/rest/api/space.*"}' \
 *   https://gate.example.com/rest/extender/1.0/tokenTools/set
 */
export const setEndpoint = defineEndpoint(setContract).handledBy(
  async ({ body, actor, recordAdmin }, deps: TokenToolsDeps) => {
    if (namesSetting(body)) {
      // the contract lets only administrators here
      const patch = settingsPatchOf(body);
      const settings = await changeSettings(deps.store, patch);
      await deps.settingsHolder.refresh();
      recordAdmin({ action: `settings changed: ${describeSettingsPatch(patch)}` });
      return { status: 200, json: { status: 'ok', settings: { ...settings, secureMode: deps.config.secureMode } } };
    }

    const { record, secret } = await deps.tokens.create(
      {
        label: body.label,
        daysUntilExpiry: body.daysUntilExpiry,
        userName: body.userName,
        limitTo: body.limitTo,
        token: body.token,
        rateLimit: body.rateLimit,
        quota: body.quota,
        allowedIps: body.allowedIps,
      },
      actor,
    );
    recordAdmin({
      action: `token created for ${record.user ?? 'any user'}`,
      tokenId: record.id,
      tokenLabel: record.label,
      extraSecrets: [secret],
    });
    const view = await deps.tokens.toPublicView(record, { includeSecret: false });
    return { status: 200, json: { status: 'ok', ...view, token: secret } };
  },
);
