import { useEffect, useId, useMemo, useState } from 'preact/hooks';
import { type Api, ApiError, type QueryValue } from './api.js';
import { CallChart } from './call-chart.js';
import { formatDateTime, fromLocalInput, sentence, toLocalInput } from './format.js';
import { Pager } from './pager.js';
import type { AuditEntry, AuditPage, Decision, Me } from './types.js';

export interface AuditViewProps {
  readonly api: Api;
  readonly me: Me;
  /** `location.search` of the view (filters can be linked, e.g. from a token's "Calls"). */
  readonly search: string;
}

interface Filters {
  readonly tokenId: string;
  readonly user: string;
  readonly decision: '' | Decision;
  /** Path prefix (the API's `path`). */
  readonly path: string;
  /** `datetime-local` values (a date alone is accepted from the address: a whole day). */
  readonly from: string;
  readonly to: string;
}

const DECISIONS: readonly Decision[] = [
  'allowed',
  'denied',
  'refused',
  'unauthenticated',
  'error',
  'admin',
  'passthrough',
];
const EMPTY: Filters = { tokenId: '', user: '', decision: '', path: '', from: '', to: '' };

function filtersOf(search: string): Filters {
  const params = new URLSearchParams(search);
  const decision = params.get('decision') ?? '';
  return {
    tokenId: params.get('tokenId') ?? '',
    user: params.get('user') ?? '',
    decision: (DECISIONS as readonly string[]).includes(decision) ? (decision as Decision) : '',
    path: params.get('path') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
}

function queryOf(filters: Filters): Record<string, QueryValue> {
  return {
    tokenId: filters.tokenId.trim(),
    user: filters.user.trim(),
    decision: filters.decision,
    path: filters.path.trim(),
    from: fromLocalInput(filters.from),
    to: toLocalInput(filters.to),
  };
}

/** The filters as the page's address keeps them (so reload, back and a shared link show the same records). */
function searchOf(filters: Filters, tokenLabel: string | null): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value.trim() !== '') params.set(name, value.trim());
  if (tokenLabel !== null && filters.tokenId !== '') params.set('tokenLabel', tokenLabel);
  const text = params.toString();
  return text === '' ? location.pathname : `?${text}`;
}

/** The audit log: filters (token, user, decision, time range), paging, CSV and NDJSON export. */
export function AuditView(props: AuditViewProps) {
  const { api, me } = props;
  const initial = useMemo(() => filtersOf(props.search), [props.search]);
  const tokenLabel = useMemo(() => new URLSearchParams(props.search).get('tokenLabel'), [props.search]);
  const [draft, setDraft] = useState<Filters>(initial);
  const [applied, setApplied] = useState<Filters>(initial);
  const [startAt, setStartAt] = useState(0);
  const [pageSize, setPageSize] = useState(50);
  const [page, setPage] = useState<AuditPage | null>(null);
  const [error, setError] = useState<{ field: 'from' | 'form'; text: string } | null>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);
  const ids = {
    heading: useId(),
    token: useId(),
    user: useId(),
    decision: useId(),
    path: useId(),
    from: useId(),
    to: useId(),
    rangeError: useId(),
  };

  useEffect(() => {
    setDraft(initial);
    setApplied(initial);
    setStartAt(0);
  }, [initial]);

  // Back and forward between applied filters (this view pushes them; the app may not re-render).
  useEffect(() => {
    const onPop = () => {
      const filters = filtersOf(location.search);
      setDraft(filters);
      setApplied(filters);
      setStartAt(0);
    };
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    let current = true;
    setLoading(true);
    api
      .get<AuditPage>('tokenTools/audit', { ...queryOf(applied), startAt, maxResults: pageSize })
      .then(
        (result) => {
          if (!current) return;
          setPage(result);
          setError(null);
        },
        (err: unknown) => {
          if (!current) return;
          const text = err instanceof ApiError ? sentence(err.message) : 'The audit log could not be loaded.';
          setError({ field: /^(from|to)\b/.test(err instanceof Error ? err.message : '') ? 'from' : 'form', text });
        },
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [api, applied, startAt, pageSize, version]);

  const apply = (event: Event) => {
    event.preventDefault();
    const from = fromLocalInput(draft.from);
    const to = toLocalInput(draft.to);
    if (from !== undefined && to !== undefined && from > to) {
      setError({ field: 'from', text: 'The start of the time range must be before its end.' });
      return;
    }
    setError(null);
    const search = searchOf(draft, draft.tokenId === initial.tokenId ? tokenLabel : null);
    if (search !== location.search) history.pushState(null, '', search);
    setApplied(draft);
    setStartAt(0);
    setVersion(version + 1);
  };

  const set = (patch: Partial<Filters>) => setDraft({ ...draft, ...patch });
  const chartQuery = useMemo(() => queryOf(applied), [applied]);
  const exportUrl = (format: 'csv' | 'ndjson') => api.url('tokenTools/audit', { ...queryOf(applied), format });

  return (
    <section aria-labelledby={ids.heading}>
      <div class="view-head">
        <div>
          <h1 id={ids.heading}>Audit log</h1>
          <p class="lead">
            Every token call — allowed, denied or failed — and every administrative action, newest first.{' '}
            {me.user.admin ? 'You see every record.' : 'You see your own calls and the calls of your tokens.'}
          </p>
        </div>
        <div class="export">
          <a class="button" href={exportUrl('csv')} download>
            Export CSV
          </a>
          <a class="button" href={exportUrl('ndjson')} download>
            Export NDJSON
          </a>
        </div>
      </div>

      <form class="filters card" onSubmit={apply} aria-label="Filter the audit log">
        <div class="field">
          <label for={ids.token}>Token ID</label>
          <input
            id={ids.token}
            value={draft.tokenId}
            spellcheck={false}
            autoComplete="off"
            onInput={(e) => set({ tokenId: e.currentTarget.value })}
          />
          {tokenLabel !== null && draft.tokenId === initial.tokenId && initial.tokenId !== '' && (
            <p class="hint">Token “{tokenLabel}”</p>
          )}
        </div>
        <div class="field">
          <label for={ids.user}>User</label>
          <input
            id={ids.user}
            value={draft.user}
            autoComplete="off"
            onInput={(e) => set({ user: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for={ids.decision}>Decision</label>
          <select
            id={ids.decision}
            value={draft.decision}
            onChange={(e) => set({ decision: e.currentTarget.value as Filters['decision'] })}
          >
            <option value="">any</option>
            {DECISIONS.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={ids.path}>Path starts with</label>
          <input
            id={ids.path}
            value={draft.path}
            spellcheck={false}
            autoComplete="off"
            placeholder="/rest/api/"
            onInput={(e) => set({ path: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for={ids.from}>From</label>
          <input
            id={ids.from}
            type="datetime-local"
            value={draft.from}
            onInput={(e) => set({ from: e.currentTarget.value })}
            aria-invalid={error?.field === 'from'}
            aria-describedby={error?.field === 'from' ? ids.rangeError : undefined}
          />
        </div>
        <div class="field">
          <label for={ids.to}>To</label>
          <input
            id={ids.to}
            type="datetime-local"
            value={draft.to}
            onInput={(e) => set({ to: e.currentTarget.value })}
          />
        </div>
        <div class="filter-actions">
          <button type="submit" class="button button-primary">
            Apply filters
          </button>
          <button
            type="button"
            class="button"
            onClick={() => {
              setDraft(EMPTY);
              setApplied(EMPTY);
              setStartAt(0);
              setError(null);
              if (location.search !== '') history.pushState(null, '', location.pathname);
            }}
          >
            Clear
          </button>
          <button type="button" class="button button-quiet" onClick={() => setVersion(version + 1)}>
            Refresh
          </button>
        </div>
        {error?.field === 'from' && (
          <p class="field-error filter-error" id={ids.rangeError}>
            {error.text}
          </p>
        )}
      </form>

      <CallChart api={api} query={chartQuery} version={version} />

      {error?.field === 'form' && (
        <p class="notice notice-error" role="alert">
          {error.text}
        </p>
      )}
      {page !== null && page.entries.length > 0 && (
        <>
          <AuditTable entries={page.entries} busy={loading} />
          <Pager
            total={page.total}
            atLeast={page.totalIsLowerBound === true}
            startAt={startAt}
            pageSize={pageSize}
            sizes={[25, 50, 100]}
            noun={page.total === 1 ? 'record' : 'records'}
            onPage={setStartAt}
            onSize={(size) => {
              setPageSize(size);
              setStartAt(0);
            }}
          />
        </>
      )}
      {page !== null && page.entries.length === 0 && !loading && (
        <div class="empty card">
          <p>No record matches these filters.</p>
        </div>
      )}
      {page === null && loading && <p aria-busy="true">Loading the audit log…</p>}
    </section>
  );
}

function AuditTable(props: { readonly entries: readonly AuditEntry[]; readonly busy: boolean }) {
  return (
    <div class="table-wrap">
      <table class="data-table audit-table" aria-busy={props.busy}>
        <caption class="visually-hidden">Audit records, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Decision</th>
            <th scope="col">Request</th>
            <th scope="col">Token</th>
            <th scope="col">User</th>
            <th scope="col">Reason</th>
            <th scope="col">Status</th>
            <th scope="col">Client</th>
          </tr>
        </thead>
        <tbody>
          {props.entries.map((entry) => (
            <tr key={entry.id}>
              <td data-label="Time">
                <time dateTime={new Date(entry.time).toISOString()}>{formatDateTime(entry.time)}</time>
              </td>
              <td data-label="Decision">
                <span class={`badge badge-decision-${entry.decision}`}>{entry.decision}</span>
              </td>
              <td data-label="Request" class="request-cell">
                <code>
                  {entry.method} {entry.path}
                  {entry.query !== '' ? `?${entry.query}` : ''}
                </code>
              </td>
              <td data-label="Token">{entry.tokenLabel ?? <span class="muted">—</span>}</td>
              <td data-label="User">
                {entry.user ?? <span class="muted">—</span>}
                {entry.authMethod !== null && <span class="muted small block">{entry.authMethod}</span>}
              </td>
              <td data-label="Reason" class="reason-cell">
                {entry.reason}
              </td>
              <td data-label="Status">{entry.upstreamStatus ?? <span class="muted">—</span>}</td>
              <td data-label="Client">
                {entry.clientIp}
                <span class="muted small block">{entry.durationMs} ms</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
