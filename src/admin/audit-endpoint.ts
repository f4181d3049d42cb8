import type { AuditFormat } from '../audit/audit-filter.js';
import type { AuditFilter, User } from '../store/models.js';
import type { Store } from '../store/store.js';
import { type AdminDeps, defineEndpoint } from './admin-endpoint.js';
import { auditContract } from './audit-contract.js';

/** Records read per store query while streaming an export. */
const EXPORT_PAGE_SIZE = 250;

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
 * The audit log, newest first, as a page or a download (see {@link auditContract}); the query is
 * validated before anything is sent, so a bad parameter is a clean 400 even for exports.
 * Administrators see every record; other users see their own (see {@link visibleFilter}).
 *
 * @example
 * curl -u bob:TOKEN 'https://gate.example.com/rest/extender/1.0/tokenTools/audit?decision=denied&from=2024-05-01'
 * curl -u admin:TOKEN -OJ 'https://gate.example.com/rest/extender/1.0/tokenTools/audit?format=csv'
 */
export const auditEndpoint = defineEndpoint(auditContract).handledBy(async ({ query, actor }, deps: AdminDeps) => {
  const filter = await visibleFilter(query.filter, actor, deps.store);
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

  return {
    status: 200,
    headers: {
      'content-type': CONTENT_TYPES[query.format],
      'content-disposition': `attachment; filename="${exportFileName(query.format, deps.now())}"`,
      'x-content-type-options': 'nosniff',
    },
    stream: deps.store.exportAudit(filter, query.format, EXPORT_PAGE_SIZE),
  };
});
