import { AUDIT_DECISIONS, parseAuditQuery } from '../audit/audit-filter.js';
import { ADMIN_BASE } from '../http/paths.js';
import { ok } from './admin-schemas.js';
import { defineContract, z } from './endpoint-contract.js';

const param = (description: string) => z.string().optional().meta({ description });
const nullableString = z.string().nullable();

/** One audit record as the API returns it. */
export const auditEntrySchema = z.object({
  id: z.number().int(),
  time: z.number().int().meta({ description: 'epoch ms' }),
  tokenId: nullableString,
  tokenLabel: nullableString,
  user: nullableString,
  authMethod: nullableString,
  method: z.string(),
  path: z.string(),
  query: z.string(),
  decision: z.enum(AUDIT_DECISIONS),
  reason: z.string(),
  upstreamStatus: z.number().int().nullable(),
  clientIp: z.string(),
  userAgent: z.string(),
  durationMs: z.number(),
  node: z.string(),
});

/**
 * `GET /rest/extender/1.0/tokenTools/audit` — the audit log, newest first.
 *
 * JSON: `{"status":"ok","total","totalIsLowerBound","startAt","maxResults","entries":[…]}`; `total`
 * is exact unless `totalIsLowerBound` (more than 1,000 records past the page: "at least"). `csv` and `ndjson`
 * stream the whole filtered range (paging ignored) as a download
 * (`Content-Disposition: attachment; filename="tokengate-audit-<date>.<ext>"`).
 * Administrators see every record; other users see their own. Each parameter at most once; the
 * values are read by the audit filter's parser (shared with its tests), which says what is wrong.
 */
export const auditContract = defineContract({
  method: 'GET',
  path: `${ADMIN_BASE}/audit`,
  summary: 'Audit log, newest first (administrators: all; others: their own tokens); CSV/NDJSON export',
  query: z
    .object({
      tokenId: param('records of this token'),
      user: param('records of this user (any case)'),
      decision: param(AUDIT_DECISIONS.join(', ')),
      from: param('epoch ms or ISO 8601 (2024-05-01, 2024-05-01T12:00:00Z)'),
      to: param('epoch ms or ISO 8601'),
      path: param('path prefix, starting with /'),
      startAt: param('a whole number ≥ 0; default 0'),
      maxResults: param('a whole number from 1 to 1000; default 50'),
      format: param('json (default), csv or ndjson'),
    })
    .transform((query) =>
      parseAuditQuery(
        new Map(Object.entries(query).flatMap(([name, value]) => (value === undefined ? [] : [[name, [value]]]))),
      ),
    ),
  responses: {
    200: {
      description: 'A page of records, or the whole filtered range as CSV/NDJSON',
      schema: z.object({
        status: ok,
        total: z.number().int(),
        /** True when `total` is a lower bound: counting stops 1,000 records past the page ("at least"). */
        totalIsLowerBound: z.boolean(),
        startAt: z.number().int(),
        maxResults: z.number().int(),
        entries: z.array(auditEntrySchema),
      }),
      downloads: ['text/csv', 'application/x-ndjson'],
    },
  },
  errors: [400, 401],
});
