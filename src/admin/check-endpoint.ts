import { canonicalFromUrl } from '../http/canonical-from-url.js';
import { HttpError } from '../http/http-error.js';
import { type JsonNumberText, parseStrictJson } from '../http/strict-json.js';
import { dryRunBody, evaluate, parseLimitToCached, requestFacts } from '../restrictions/index.js';
import { defineEndpoint } from './admin-endpoint.js';
import { checkContract } from './check-contract.js';
import type { AdminEndpointDeps } from './token-tools-deps.js';

/**
 * "Would this token pass this call?" with the gateway's engine (see {@link checkContract}).
 *
 * @example
 * curl -u admin:TOKEN -H 'Content-Type: application/json' \
 *   -d '{"limitTo":"[GET].*\/rest/api/space.*","method":"GET","url":"/rest/api/space/DEMO"}' \
 *   https://gate.example.com/rest/extender/1.0/tokenTools/check
 */
export const checkEndpoint = defineEndpoint(checkContract).handledBy(
  async ({ body, actor }, deps: AdminEndpointDeps) => {
    const limitTo = body.id !== undefined ? (await deps.tokens.get(body.id, actor)).limitTo : (body.limitTo ?? '');
    const parsed = parseLimitToCached(limitTo);
    if (!parsed.ok) {
      return { status: 200, json: { status: 'ok', valid: false, error: parsed.error } };
    }
    let jsonBody: unknown;
    /** A body given as text keeps its numbers' source text (matched as the gateway matches them). */
    let numberText: JsonNumberText | null = null;
    if (body.body !== undefined && body.body !== null && body.body !== '') {
      if (typeof body.body === 'string') {
        const result = parseStrictJson(body.body);
        if (!result.ok) throw new HttpError('invalid_input', `body: ${result.message}`);
        jsonBody = result.value;
        numberText = result.numberText;
      } else {
        jsonBody = body.body;
      }
    }
    const canonical = canonicalFromUrl(body.method, body.url, deps.publicUrl, deps.config.encodedSlash);
    if (!canonical.ok) throw new HttpError('invalid_input', canonical.message);
    const verdict = evaluate(parsed.ruleSet, requestFacts(canonical.request, dryRunBody(jsonBody, numberText)));
    return {
      status: 200,
      json: {
        status: 'ok',
        valid: true,
        allowed: verdict.allowed,
        line: verdict.allowed ? verdict.line : null,
        failures: verdict.allowed ? [] : [...verdict.failures],
      },
    };
  },
);
