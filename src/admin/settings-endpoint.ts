import { ADMIN_BASE } from '../http/paths.js';
import type { AdminEndpoint } from './admin-endpoint.js';
import type { TokenToolsDeps } from './token-tools-deps.js';

/**
 * `GET /rest/extender/1.0/tokenTools/settings` — the runtime settings and the (startup-only)
 * secure mode.
 *
 * @example
 * curl -u admin:TOKEN https://gate.example.com/rest/extender/1.0/tokenTools/settings
 */
export const settingsEndpoint: AdminEndpoint<TokenToolsDeps> = {
  method: 'GET',
  path: `${ADMIN_BASE}/settings`,
  async handle(_req, deps) {
    return {
      status: 200,
      json: { status: 'ok', settings: { ...deps.settings(), secureMode: deps.config.secureMode } },
    };
  },
};
