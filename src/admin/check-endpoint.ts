import { canonicalFromUrl } from '../http/canonical-from-url.js';
import { HttpError } from '../http/http-error.js';
import { parseStrictJson } from '../http/strict-json.js';
import { dryRunBody, evaluate, parseLimitTo, requestFacts } from '../restrictions/index.js';
import type { AdminEndpoint } from './admin-endpoint.js';
import { refuseUnknownKeys, requireObject } from './request-body.js';
import { TOKEN_TOOLS, type TokenToolsDeps } from './token-tools-deps.js';

const FIELDS = new Set(['id', 'limitTo', 'method', 'url', 'body']);

/**
 * `POST /rest/extender/1.0/tokenTools/check` with `{"id"|"limitTo", "method", "url", "body"?}` —
 * "would this token pass this call?": the same engine as the gateway, answered without calling
 * anything. A rule error is answered with its line and column.
 *
 * @example
 * curl -u admin:TOKEN -H 'Content-Type: application/json' \
 *   -d '{"limitTo":"[GET].*\/rest/api/space.*","method":"GET","url":"/rest/api/space/DEMO"}' \
 *   https://gate.example.com/rest/extender/1.0/tokenTools/check
 */
export const checkEndpoint: AdminEndpoint<TokenToolsDeps & { readonly publicUrl: string }> = {
  method: 'POST',
  path: `${TOKEN_TOOLS}/check`,
  async handle(req, deps) {
    const body = requireObject(await req.json());
    refuseUnknownKeys(body, FIELDS);
    if ((body.id === undefined) === (body.limitTo === undefined))
      throw new HttpError('invalid_input', 'send either id or limitTo');
    if (typeof body.method !== 'string' || body.method === '')
      throw new HttpError('invalid_input', 'method is required');
    if (typeof body.url !== 'string' || body.url === '') throw new HttpError('invalid_input', 'url is required');
    let limitTo: string;
    if (body.id !== undefined) {
      if (typeof body.id !== 'string') throw new HttpError('invalid_input', 'id must be a string');
      limitTo = (await deps.tokens.get(body.id, req.actor)).limitTo;
    } else {
      if (typeof body.limitTo !== 'string') throw new HttpError('invalid_input', 'limitTo must be a string');
      limitTo = body.limitTo;
    }
    const parsed = parseLimitTo(limitTo);
    if (!parsed.ok) {
      return { status: 200, json: { status: 'ok', valid: false, error: parsed.error } };
    }
    let jsonBody: unknown;
    if (body.body !== undefined && body.body !== null && body.body !== '') {
      if (typeof body.body === 'string') {
        const result = parseStrictJson(body.body);
        if (!result.ok) throw new HttpError('invalid_input', `body: ${result.message}`);
        jsonBody = result.value;
      } else {
        jsonBody = body.body;
      }
    }
    const canonical = canonicalFromUrl(body.method, body.url, deps.publicUrl);
    if (!canonical.ok) throw new HttpError('invalid_input', canonical.message);
    const verdict = evaluate(parsed.ruleSet, requestFacts(canonical.request, dryRunBody(jsonBody)));
    return {
      status: 200,
      json: {
        status: 'ok',
        valid: true,
        allowed: verdict.allowed,
        line: verdict.allowed ? verdict.line : null,
        failures: verdict.allowed ? [] : verdict.failures,
      },
    };
  },
};
