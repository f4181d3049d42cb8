import { auditToCsv, auditToNdjson } from '../audit/audit-export.js';
import { type AuditFormat, parseAuditQuery } from '../audit/audit-filter.js';
import type { AuditFilter, User } from '../store/models.js';
import type { Store } from '../store/store.js';
import type { AdminEndpoint } from './admin-endpoint.js';

/** Records read per store query while streaming an export. */
const EXPORT_PAGE_SIZE = 1000;

const CONTENT_TYPES: Readonly<Record<Exclude<AuditFormat, 'json'>, string>> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

/**
 * The filter narrowed to what `actor` may see. Administrators see every record. Other users see
 * (a) every record whose `user` is them — their calls with any token, and failed attempts made
 * in their name — and (b) every record of a token bound to them, whoever presented it (e.g. a
 * "wrong user" attempt with their leaked token). Records of deleted tokens stay visible through
 * (a) only. The store applies `ownUser` and `tokenIds` together as "either".
 */
export async function visibleFilter(
  filter: AuditFilter,
  actor: User,
  store: Pick<Store, 'listTokens'>,
): Promise<AuditFilter> {
  if (actor.admin) return filter;
  const own = await store.listTokens(actor.username);
  return { ...filter, ownUser: actor.username, tokenIds: own.map((t) => t.id) };
}

function exportFileName(format: 'csv' | 'ndjson', now: number): string {
  const date = new Date(now).toISOString().slice(0, 10);
  return `tokengate-audit-${date}.${format}`;
}

/**
 * `GET /rest/extender/1.0/tokenTools/audit` — the audit log, newest first.
 *
 * Query: `tokenId`, `user`, `decision`, `from`, `to` (epoch ms or ISO 8601), `path` (prefix),
 * `startAt` (default 0), `maxResults` (1–1000, default 50), `format` (`json`, `csv`, `ndjson`).
 * JSON: `{"status":"ok","total","totalIsLowerBound","startAt","maxResults","entries":[…]}`;
 * `total` is exact unless `totalIsLowerBound` (more than 10,000 records past the page: "at least"). `csv` and `ndjson`
 * stream the whole filtered range (paging ignored) as a download
 * (`Content-Disposition: attachment; filename="tokengate-audit-<date>.<ext>"`).
 * Administrators see every record; other users see their own (see {@link visibleFilter}).
 *
 * @example
 * curl -u bob:TOKEN 'https://gate.example.com/rest/extender/1.0/tokenTools/audit?decision=denied&from=2024-05-01'
 * curl -u admin:TOKEN -OJ 'https://gate.example.com/rest/extender/1.0/tokenTools/audit?format=csv'
 */
export const auditEndpoint: AdminEndpoint = {
  method: 'GET',
  path: '/rest/extender/1.0/tokenTools/audit',
  async handle(req, deps) {
    // validated before anything is sent, so a bad parameter is a clean 400 even for exports
    const query = parseAuditQuery(req.query);
    const filter = await visibleFilter(query.filter, req.actor, deps.store);
    if (query.format === 'json') {
      const page = await deps.store.queryAudit(filter, query.startAt, query.maxResults);
      return {
        status: 200,
        json: {
          status: 'ok',
          total: page.total,
          totalIsLowerBound: page.totalIsLowerBound,
          startAt: query.startAt,
          maxResults: query.maxResults,
          entries: page.entries,
        },
      };
    }
    const records = deps.store.iterateAudit(filter, EXPORT_PAGE_SIZE);
    return {
      status: 200,
      headers: {
        'content-type': CONTENT_TYPES[query.format],
        'content-disposition': `attachment; filename="${exportFileName(query.format, deps.now())}"`,
        'x-content-type-options': 'nosniff',
      },
      stream: query.format === 'csv' ? auditToCsv(records) : auditToNdjson(records),
    };
  },
};
