import { refuseUnknownKeys, requireObject } from '../admin/request-body.js';
import { readJsonBody } from '../http/read-json-body.js';
import { sendJson } from '../http/send.js';
import { recordPageAction } from './admin-bridge.js';
import type { PageDeps } from './page-deps.js';
import type { SignedInRequest } from './page-request.js';

/**
 * `POST /tokengate/api/tokens/reveal` with `{"id"}` — a token's secret again: administrators,
 * standard mode, secret kept (the token service decides and explains refusals). Recorded in
 * the audit log as an administrative action.
 */
export async function revealSecret(call: SignedInRequest, deps: PageDeps): Promise<void> {
  const body = requireObject((await readJsonBody(call.req, call.canonical.headers, 16 * 1024)).value);
  refuseUnknownKeys(body, new Set(['id']));
  const secret = await deps.tokens.reveal(body.id, call.user);
  const record = await deps.tokens.get(body.id, call.user);
  recordPageAction(deps, call, {
    action: 'token secret shown again on the page',
    tokenId: record.id,
    tokenLabel: record.label,
    extraSecrets: [secret],
  });
  sendJson(call.res, 200, { status: 'ok', id: record.id, token: secret });
}
