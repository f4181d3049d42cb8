import { ADMIN_BASE } from '../http/paths.js';
import { MAX_LIMIT_TO_LENGTH } from '../tokens/token-input.js';
import { ok } from './admin-schemas.js';
import { defineContract, z } from './endpoint-contract.js';

/** Why one rule line did not allow the call. */
const lineFailureSchema = z.object({
  line: z.number().int(),
  part: z.string().meta({ description: 'the rule part that failed: method, url, query, json, …' }),
  reason: z.string(),
});

/**
 * `POST /rest/extender/1.0/tokenTools/check` with `{"id"|"limitTo", "method", "url", "body"?}` —
 * "would this token pass this call?": the same engine as the gateway, answered without calling
 * anything. A rule error is answered with its line and column.
 */
export const checkContract = defineContract({
  method: 'POST',
  path: `${ADMIN_BASE}/check`,
  summary: 'Would this token (or these rules) allow this call? The gateway engine, without calling anything',
  body: z.strictObject({
    method: z.string({ error: 'method is required' }).min(1, 'method is required'),
    url: z.string({ error: 'url is required' }).min(1, 'url is required'),
    id: z.string({ error: 'id must be a string' }).optional().meta({ description: 'a token whose rules to use' }),
    // the bounds of token creation: anyone with a token may call this
    limitTo: z
      .string({ error: 'limitTo must be a string' })
      .max(MAX_LIMIT_TO_LENGTH, `limitTo must be at most ${MAX_LIMIT_TO_LENGTH} characters`)
      .optional()
      .meta({ description: 'rules to try' }),
    body: z.unknown().optional().meta({ description: 'JSON body (a JSON value or its text)' }),
  }),
  bodyRule: (body) => ('id' in body === 'limitTo' in body ? 'send either id or limitTo' : null),
  responses: {
    200: {
      description: 'The verdict, or the rule error (line, column, message) when valid is false',
      schema: z.discriminatedUnion('valid', [
        z.object({
          status: ok,
          valid: z.literal(false),
          error: z.object({ line: z.number().int(), column: z.number().int(), message: z.string() }),
        }),
        z.object({
          status: ok,
          valid: z.literal(true),
          allowed: z.boolean(),
          line: z.number().int().nullable().meta({ description: 'the rule line that allowed the call' }),
          failures: z.array(lineFailureSchema),
        }),
      ]),
    },
  },
  errors: [400, 401, 404],
});
