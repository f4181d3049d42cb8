import { defineEndpoint } from './admin-endpoint.js';
import { settingsContract } from './settings-contract.js';
import type { TokenToolsDeps } from './token-tools-deps.js';

/**
 * The runtime settings and the (startup-only) secure mode (see {@link settingsContract}).
 *
 * @example
 * curl -u admin:TOKEN https://gate.example.com/rest/extender/1.0/tokenTools/settings
 */
export const settingsEndpoint = defineEndpoint(settingsContract).handledBy(async (_req, deps: TokenToolsDeps) => ({
  status: 200,
  json: { status: 'ok', settings: { ...deps.settings(), secureMode: deps.config.secureMode } },
}));
