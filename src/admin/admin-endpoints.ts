import type { AdminEndpoint } from './admin-endpoint.js';
import { auditEndpoint } from './audit-endpoint.js';
import { auditStatsEndpoint } from './audit-stats-endpoint.js';
import { checkEndpoint } from './check-endpoint.js';
import { deleteEndpoint } from './delete-endpoint.js';
import { getTokensEndpoint } from './get-tokens-endpoint.js';
import { rotateEndpoint } from './rotate-endpoint.js';
import { setEndpoint } from './set-endpoint.js';
import { settingsEndpoint } from './settings-endpoint.js';
import { snippetEndpoint } from './snippet-endpoint.js';
import type { AdminEndpointDeps } from './token-tools-deps.js';
import { clearUpstreamCredentialEndpoint, setUpstreamCredentialEndpoint } from './upstream-credential-endpoint.js';

/**
 * Every tokenTools endpoint, once: the gateway's router, the page, the OpenAPI document and the
 * tests all read this list. A new endpoint is added here (see `endpoint-contract.ts`).
 */
export const adminEndpoints: readonly AdminEndpoint<AdminEndpointDeps>[] = [
  getTokensEndpoint,
  setEndpoint,
  deleteEndpoint,
  rotateEndpoint,
  settingsEndpoint,
  checkEndpoint,
  snippetEndpoint,
  auditEndpoint,
  auditStatsEndpoint,
  setUpstreamCredentialEndpoint,
  clearUpstreamCredentialEndpoint,
];
