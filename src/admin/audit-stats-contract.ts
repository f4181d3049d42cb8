import { AUTO_MAX_BUCKETS, BUCKET_SIZES, type BucketSize, MAX_BUCKETS } from '../audit/audit-buckets.js';
import { AUDIT_DECISIONS, parseAuditQuery } from '../audit/audit-filter.js';
import { CALL_OUTCOMES } from '../audit/call-outcome.js';
import { HttpError } from '../http/http-error.js';
import { ADMIN_BASE } from '../http/paths.js';
import { ok } from './admin-schemas.js';
import { defineContract, z } from './endpoint-contract.js';

const param = (description: string) => z.string().optional().meta({ description });
const count = z.number().int();
const epochMs = z.number().int().meta({ description: 'epoch ms' });

const countsSchema = z.object(
  Object.fromEntries(CALL_OUTCOMES.map((outcome) => [outcome, count])) as {
    [K in (typeof CALL_OUTCOMES)[number]]: typeof count;
  },
);

function bucketOf(value: string | undefined): BucketSize | 'auto' {
  const text = (value ?? '').trim().toLowerCase();
  if (text === '' || text === 'auto') return 'auto';
  const size = BUCKET_SIZES.find((s) => s === text);
  if (size === undefined) {
    throw new HttpError('invalid_input', `bucket must be auto, ${BUCKET_SIZES.join(', ')}; got "${text.slice(0, 20)}"`);
  }
  return size;
}

/**
 * `GET /rest/extender/1.0/tokenTools/auditStats` — calls per time bucket by outcome (allowed,
 * denied, unauthenticated, error), counted by the database, with the audit query's filters.
 *
 * `to` defaults to now; `from` to the oldest matching record or an hour before `to`, whichever
 * is earlier (then, if that is more than 1,500 buckets back, to the oldest bucket allowed:
 * `truncated`). `bucket=auto` (default) is the
 * smallest of minute, hour, day giving at most 180 buckets; an asked range of more than 1,500
 * buckets is `400 too_many_buckets`. Buckets are UTC and every bucket of the range is listed,
 * oldest first, empty ones too. Administrators count every record; other users their own (as
 * the audit query).
 */
export const auditStatsContract = defineContract({
  method: 'GET',
  path: `${ADMIN_BASE}/auditStats`,
  summary: 'Calls per time bucket by outcome (allowed, denied, unauthenticated, error), with the audit filters',
  query: z
    .object({
      tokenId: param('calls of this token'),
      user: param('calls of this user (any case)'),
      decision: param(AUDIT_DECISIONS.join(', ')),
      from: param('epoch ms or ISO 8601; default: the oldest matching record, at the latest an hour before to'),
      to: param('epoch ms or ISO 8601 (a date alone: the whole day); default: now'),
      path: param('path prefix, starting with /'),
      bucket: param(
        `auto (default: the smallest giving at most ${AUTO_MAX_BUCKETS} buckets), ${BUCKET_SIZES.join(', ')}; at most ${MAX_BUCKETS} buckets`,
      ),
    })
    .transform(({ bucket, ...filters }) => {
      const entries = Object.entries(filters).flatMap(([name, value]) =>
        value === undefined ? [] : [[name, [value]] as const],
      );
      return { filter: parseAuditQuery(new Map(entries)).filter, bucket: bucketOf(bucket) };
    }),
  responses: {
    200: {
      description: 'Every bucket of the range, oldest first, with its calls by outcome, and the totals',
      schema: z.object({
        status: ok,
        from: epochMs.meta({ description: 'start of the range counted, epoch ms' }),
        to: epochMs.meta({ description: 'end of the range counted (included), epoch ms' }),
        bucket: z.enum(BUCKET_SIZES as [BucketSize, ...BucketSize[]]),
        bucketMs: count,
        truncated: z.boolean().meta({
          description: `true when from was not given and older records exist than the newest ${MAX_BUCKETS} buckets`,
        }),
        buckets: z.array(countsSchema.extend({ start: epochMs.meta({ description: 'bucket start, epoch ms (UTC)' }) })),
        totals: countsSchema,
        total: count,
      }),
    },
  },
  errors: [400, 401, 403],
});
