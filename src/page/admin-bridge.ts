import type { AdminAction, AdminEndpoint, AdminRequest, AdminResponse } from '../admin/admin-endpoint.js';
import { readJsonBody } from '../http/read-json-body.js';
import type { PageAdminDeps, PageDeps } from './page-deps.js';
import type { SignedInRequest } from './page-request.js';

/** Records an administrative action done on the page, by the signed-in user, with authMethod `session`. */
export function recordPageAction(
  deps: Pick<PageDeps, 'callLog' | 'now'>,
  call: SignedInRequest,
  action: AdminAction,
): void {
  deps.callLog.recordAdmin({
    time: deps.now(),
    actor: call.user.username,
    authMethod: 'session',
    method: call.canonical.method,
    path: call.canonical.path,
    action: action.action,
    tokenId: action.tokenId ?? null,
    tokenLabel: action.tokenLabel ?? null,
    clientIp: call.ip,
    userAgent: call.req.headers['user-agent'] ?? '',
    secret: null,
    extraSecrets: action.extraSecrets ?? [],
  });
}

/**
 * The `AdminRequest` a tokenTools endpoint receives for a page call: the signed-in user as the
 * actor, the page request's query, its body read strictly, admin actions recorded as `session`.
 */
export function adminRequestFor(
  call: SignedInRequest,
  deps: Pick<PageDeps, 'callLog' | 'now' | 'config'>,
  query: ReadonlyMap<string, readonly string[]> = call.canonical.query,
): AdminRequest {
  return {
    method: call.canonical.method,
    query,
    actor: call.user,
    json: async () => (await readJsonBody(call.req, call.canonical.headers, deps.config.bodyLimitBytes)).value,
    recordAdmin: (action) => recordPageAction(deps, call, action),
  };
}

/** Runs an endpoint's `handle` for a page call with a query of its own (no body). */
export function callEndpoint(
  endpoint: AdminEndpoint<PageAdminDeps>,
  call: SignedInRequest,
  deps: Pick<PageDeps, 'callLog' | 'now' | 'config'>,
  adminDeps: PageAdminDeps,
  query: ReadonlyMap<string, readonly string[]>,
): Promise<AdminResponse> {
  return endpoint.handle(adminRequestFor(call, deps, query), adminDeps);
}
