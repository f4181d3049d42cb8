/**
 * Every path prefix tokengate gives meaning to, named once. Plain constants with no imports, so
 * the browser page (src/page/ui, its own build) imports this same file.
 *
 * The protected prefix is the default only: code below the composition root receives it as a
 * value (`GatewayDeps.protectedPrefix`), so that it can become configurable. The admin API, the
 * OpenAPI document and the page stay where they are whatever is protected.
 */

/** Calls under this prefix need a token (checked, audited, forwarded). */
export const DEFAULT_PROTECTED_PREFIX = '/rest/';

/** Extender's endpoints; with `extenderEndpointsOnly` on, tokens reach only paths under it. */
export const EXTENDER_BASE = '/rest/extender/';

/** Base of tokengate's admin API, Extender's `tokenTools` (no trailing slash). */
export const ADMIN_BASE = `${EXTENDER_BASE}1.0/tokenTools`;

/** The OpenAPI document of the admin API. */
export const OPENAPI_PATH = `${EXTENDER_BASE}1.0/openapi.json`;

/** The REST API Tokens page (no trailing slash); its JSON API is under `PAGE_API_BASE`. */
export const PAGE_BASE = '/tokengate';

/**
 * The decision endpoint (issue 19): nginx `auth_request`, Caddy `forward_auth`, Traefik
 * `ForwardAuth` and Envoy `ext_authz` ask here whether a request may pass (any method; Envoy
 * appends the original path to it).
 */
export const DECISION_PATH = `${PAGE_BASE}/authorize`;

/** The page's JSON API (with its trailing slash). */
export const PAGE_API_BASE = `${PAGE_BASE}/api/`;

/** Liveness and readiness of this node. */
export const HEALTH_PATH = '/healthz';

/** Prometheus metrics (when `metrics.enabled`). */
export const METRICS_PATH = '/metrics';
