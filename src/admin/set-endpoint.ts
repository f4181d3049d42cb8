import { HttpError } from '../http/http-error.js';
import type { AuthType, RuntimeSettings } from '../store/models.js';
import type { AdminEndpoint } from './admin-endpoint.js';
import { refuseUnknownKeys, requireObject } from './request-body.js';
import { TOKEN_TOOLS, type TokenToolsDeps } from './token-tools-deps.js';

const TOKEN_FIELDS = new Set(['label', 'daysUntilExpiry', 'userName', 'limitTo', 'token']);
const SETTING_FIELDS = new Set(['authType', 'extenderEndpointsOnly', 'usageDetails', 'auditLog']);
const ALL_FIELDS = new Set([...TOKEN_FIELDS, ...SETTING_FIELDS]);
const AUTH_TYPES: readonly AuthType[] = ['basic', 'bearer', 'both'];

function parseSettings(body: Record<string, unknown>): Partial<RuntimeSettings> {
  const patch: { -readonly [K in keyof RuntimeSettings]?: RuntimeSettings[K] } = {};
  if ('authType' in body) {
    const value = body.authType;
    if (typeof value !== 'string' || !AUTH_TYPES.includes(value.toLowerCase() as AuthType)) {
      throw new HttpError('invalid_input', 'authType must be "basic", "bearer" or "both"');
    }
    patch.authType = value.toLowerCase() as AuthType;
  }
  for (const key of ['extenderEndpointsOnly', 'usageDetails', 'auditLog'] as const) {
    if (!(key in body)) continue;
    const value = body[key];
    if (typeof value !== 'boolean') throw new HttpError('invalid_input', `${key} must be true or false`);
    patch[key] = value;
  }
  return patch;
}

/**
 * `POST /rest/extender/1.0/tokenTools/set` — creates a token (`{label, daysUntilExpiry?,
 * userName?, limitTo?, token?}`) or, for administrators, changes settings (`{authType?,
 * extenderEndpointsOnly?, usageDetails?, auditLog?}`). A body mixing both is refused.
 *
 * @example
 * curl -u admin:TOKEN -H 'Content-Type: application/json' \
 *   -d '{"label":"ci","userName":"ansible","daysUntilExpiry":30,"limitTo":"[GET].*\/rest/api/space.*"}' \
 *   https://gate.example.com/rest/extender/1.0/tokenTools/set
 */
export const setEndpoint: AdminEndpoint<TokenToolsDeps> = {
  method: 'POST',
  path: `${TOKEN_TOOLS}/set`,
  async handle(req, deps) {
    const body = requireObject(await req.json());
    refuseUnknownKeys(body, ALL_FIELDS);
    const keys = Object.keys(body);
    const tokenKeys = keys.filter((k) => TOKEN_FIELDS.has(k));
    const settingKeys = keys.filter((k) => SETTING_FIELDS.has(k));
    if (tokenKeys.length > 0 && settingKeys.length > 0) {
      throw new HttpError(
        'invalid_input',
        `send token fields (${tokenKeys.join(', ')}) and settings (${settingKeys.join(', ')}) in separate calls`,
      );
    }
    if (keys.length === 0)
      throw new HttpError('invalid_input', 'the body is empty: send token fields (label, …) or settings');

    if (settingKeys.length > 0) {
      if (!req.actor.admin) throw new HttpError('forbidden', 'only administrators can change settings');
      const patch = parseSettings(body);
      const settings = await deps.store.updateSettings(patch);
      await deps.settingsHolder.refresh();
      req.recordAdmin({
        action: `settings changed: ${Object.entries(patch)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`,
      });
      return { status: 200, json: { status: 'ok', settings: { ...settings, secureMode: deps.config.secureMode } } };
    }

    const { record, secret } = await deps.tokens.create(
      {
        label: body.label,
        daysUntilExpiry: body.daysUntilExpiry,
        userName: body.userName,
        limitTo: body.limitTo,
        token: body.token,
      },
      req.actor,
    );
    req.recordAdmin({
      action: `token created for ${record.user ?? 'any user'}`,
      tokenId: record.id,
      tokenLabel: record.label,
      extraSecrets: [secret],
    });
    const view = await deps.tokens.toPublicView(record, { includeSecret: false });
    return { status: 200, json: { status: 'ok', ...view, token: secret } };
  },
};
