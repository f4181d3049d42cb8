import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { DEFAULT_PROTECTED_PREFIX, EXTENDER_BASE } from '../../http/paths.js';
import { type Api, ApiError } from './api.js';
import { BulkDeleteDialog, bulkDeleteNotice } from './bulk-delete-dialog.js';
import { CreateTokenDialog } from './create-token-dialog.js';
import { DeleteTokenDialog } from './delete-token-dialog.js';
import { sentence } from './format.js';
import { useDebounced } from './hooks.js';
import type { Notice } from './notice.js';
import { Pager } from './pager.js';
import { RotateTokenDialog } from './rotate-token-dialog.js';
import { SecretDialog, type SecretToShow } from './secret-dialog.js';
import { SnippetDialog } from './snippet-dialog.js';
import { descendingByDefault, filtersOf, PAGE_SIZES, searchOf } from './token-filters.js';
import { TokenTable } from './token-table.js';
import type { ExpiryFilter, Me, Settings, SortKey, TokenItem, TokenPage } from './types.js';

export interface TokensViewProps {
  readonly api: Api;
  readonly me: Me;
  readonly notify: (notice: Notice | null) => void;
  readonly showCalls: (tokenId: string, label: string) => void;
}

type Dialog =
  | { readonly kind: 'create' }
  | { readonly kind: 'secret'; readonly secret: SecretToShow }
  | {
      readonly kind: 'snippet';
      readonly token: Pick<TokenItem, 'id' | 'label' | 'user'>;
      readonly secret: string | null;
    }
  | { readonly kind: 'delete'; readonly token: TokenItem }
  | { readonly kind: 'bulkDelete'; readonly tokens: readonly TokenItem[] }
  | { readonly kind: 'rotate'; readonly token: TokenItem };

const SORT_CHOICES: readonly { readonly key: SortKey; readonly text: string }[] = [
  { key: 'created', text: 'Created' },
  { key: 'label', text: 'Label' },
  { key: 'user', text: 'User' },
  { key: 'expiry', text: 'Expiry' },
  { key: 'lastUsed', text: 'Last used' },
  { key: 'calls', text: 'Calls' },
];

/**
 * The token list with search, expiry filter, sort and paging (all kept in the address), row
 * selection for bulk delete, and the create / secret / snippet / rotate / delete dialogs.
 */
export function TokensView(props: TokensViewProps) {
  const { api, me } = props;
  const [initial] = useState(() => filtersOf(location.search));
  const [search, setSearch] = useState(initial.search);
  const query = useDebounced(search.trim(), 250);
  const [sort, setSort] = useState<SortKey>(initial.sort);
  const [descending, setDescending] = useState(initial.descending);
  const [expiry, setExpiry] = useState<ExpiryFilter>(initial.expiry);
  const [startAt, setStartAt] = useState(initial.startAt);
  const [pageSize, setPageSize] = useState(initial.pageSize);
  const [selected, setSelected] = useState<ReadonlyMap<string, TokenItem>>(new Map());
  const [page, setPage] = useState<TokenPage | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const ids = { search: useId(), sort: useId(), expiry: useId(), intro: useId() };

  useEffect(() => {
    api.get<{ settings: Settings }>('tokenTools/settings').then(
      (r) => setSettings(r.settings),
      () => setSettings(null),
    );
  }, [api, version]);

  useEffect(() => {
    let current = true;
    setLoading(true);
    api
      .get<TokenPage>('tokens', {
        q: query,
        sort,
        dir: descending ? 'desc' : 'asc',
        expiry,
        startAt,
        maxResults: pageSize,
      })
      .then(
        (result) => {
          if (!current) return;
          setPage(result);
          setError(null);
          if (result.total > 0 && startAt >= result.total)
            setStartAt(Math.max(0, Math.floor((result.total - 1) / pageSize) * pageSize));
        },
        (err: unknown) =>
          current && setError(err instanceof ApiError ? sentence(err.message) : 'The tokens could not be loaded.'),
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [api, query, sort, descending, expiry, startAt, pageSize, version]);

  // the filters live in the address (replaced, not pushed: Back leaves the view, not each keystroke)
  useEffect(() => {
    const next = searchOf({ search: query, sort, descending, expiry, startAt, pageSize });
    if (next !== location.search) history.replaceState(history.state, '', `${location.pathname}${next}`);
  }, [query, sort, descending, expiry, startAt, pageSize]);

  const firstQuery = useRef(true);
  useEffect(() => {
    // a new search starts at its first page (but a reload keeps the page it was on)
    if (firstQuery.current) firstQuery.current = false;
    else setStartAt(0);
  }, [query]);

  const sortBy = (key: SortKey) => {
    if (key === sort) setDescending(!descending);
    else {
      setSort(key);
      setDescending(descendingByDefault(key));
    }
    setStartAt(0);
  };

  const toggle = (tokens: readonly TokenItem[], on: boolean) => {
    const next = new Map(selected);
    for (const token of tokens) {
      if (on) next.set(token.id, token);
      else next.delete(token.id);
    }
    setSelected(next);
  };

  const reveal = async (token: TokenItem) => {
    try {
      const result = await api.send<{ token: string }>('POST', 'tokens/reveal', { id: token.id });
      setDialog({
        kind: 'secret',
        secret: { id: token.id, label: token.label, user: token.user, token: result.token, mode: 'revealed' },
      });
    } catch (err) {
      props.notify({
        kind: 'error',
        text: err instanceof ApiError ? sentence(err.message) : 'The token could not be shown.',
      });
    }
  };

  const canReveal = me.user.admin && !me.secureMode;
  const endpoints = settings?.extenderEndpointsOnly ? `${EXTENDER_BASE}*` : `${DEFAULT_PROTECTED_PREFIX}*`;
  const authText = {
    basic: 'Basic auth (USER:TOKEN)',
    bearer: 'Bearer token',
    both: 'Basic auth (USER:TOKEN) or a Bearer token',
  }[settings?.authType ?? me.authType];

  return (
    <section aria-labelledby={ids.intro}>
      <div class="view-head">
        <div>
          <h1 id={ids.intro}>REST API Tokens</h1>
          <p class="lead">
            Scripts call{' '}
            <code>
              {me.publicUrl}
              {endpoints}
            </code>{' '}
            with a token instead of a password, using {authText}. A token can be limited to methods, URLs, parameters
            and JSON body values, can expire, and can be revoked without changing any password.{' '}
            {me.user.admin ? 'You see every token.' : 'You see your own tokens.'}
          </p>
        </div>
        <button type="button" class="button button-primary" onClick={() => setDialog({ kind: 'create' })}>
          Create token
        </button>
      </div>

      <search class="toolbar" aria-label="Find tokens">
        <div class="field field-inline grow">
          <label for={ids.search}>Search</label>
          <input
            id={ids.search}
            type="search"
            placeholder="Label or user"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
            autoComplete="off"
          />
        </div>
        <div class="field field-inline">
          <label for={ids.sort}>Sort by</label>
          <select
            id={ids.sort}
            value={`${sort}:${descending ? 'desc' : 'asc'}`}
            onChange={(e) => {
              const [key, dir] = e.currentTarget.value.split(':');
              setSort(key as SortKey);
              setDescending(dir === 'desc');
              setStartAt(0);
            }}
          >
            {SORT_CHOICES.flatMap((choice) => [
              <option key={`${choice.key}:asc`} value={`${choice.key}:asc`}>
                {choice.text} ↑
              </option>,
              <option key={`${choice.key}:desc`} value={`${choice.key}:desc`}>
                {choice.text} ↓
              </option>,
            ])}
          </select>
        </div>
        <div class="field field-inline">
          <label for={ids.expiry}>Show</label>
          <select
            id={ids.expiry}
            value={expiry}
            onChange={(e) => {
              setExpiry(e.currentTarget.value as ExpiryFilter);
              setStartAt(0);
            }}
          >
            <option value="">All tokens</option>
            <option value="expiring">
              Expiring within {me.expiringDays} {me.expiringDays === 1 ? 'day' : 'days'}
            </option>
            <option value="expired">Expired</option>
          </select>
        </div>
      </search>

      {selected.size > 0 && (
        <section class="selection-bar" aria-label="Selected tokens">
          <span>
            {selected.size} {selected.size === 1 ? 'token' : 'tokens'} selected
          </span>
          <button type="button" class="button button-small" onClick={() => setSelected(new Map())}>
            Clear selection
          </button>
          <button
            type="button"
            class="button button-small button-danger"
            onClick={() => setDialog({ kind: 'bulkDelete', tokens: [...selected.values()] })}
          >
            Delete selected ({selected.size})
          </button>
        </section>
      )}

      {error !== null && (
        <p class="notice notice-error" role="alert">
          {error}{' '}
          <button type="button" class="button button-small" onClick={() => setVersion(version + 1)}>
            Try again
          </button>
        </p>
      )}

      {page !== null && page.tokens.length > 0 && (
        <>
          <TokenTable
            tokens={page.tokens}
            now={Date.now()}
            expiringDays={me.expiringDays}
            selected={selected}
            onSelect={toggle}
            sort={sort}
            descending={descending}
            onSort={sortBy}
            canReveal={canReveal}
            busy={loading}
            onSnippet={(token) => setDialog({ kind: 'snippet', token, secret: null })}
            onReveal={reveal}
            onCalls={(token) => props.showCalls(token.id, token.label)}
            onDelete={(token) => setDialog({ kind: 'delete', token })}
            onRotate={(token) => setDialog({ kind: 'rotate', token })}
          />
          <Pager
            total={page.total}
            startAt={startAt}
            pageSize={pageSize}
            sizes={PAGE_SIZES}
            noun={page.total === 1 ? 'token' : 'tokens'}
            onPage={setStartAt}
            onSize={(size) => {
              setPageSize(size);
              setStartAt(0);
            }}
          />
        </>
      )}
      {page !== null && page.tokens.length === 0 && !loading && (
        <div class="empty card">
          {page.overall === 0 ? (
            <>
              <p>There are no tokens yet.</p>
              <button type="button" class="button button-primary" onClick={() => setDialog({ kind: 'create' })}>
                Create the first token
              </button>
            </>
          ) : (
            <p>
              {expiry === 'expired'
                ? 'No token has expired'
                : expiry === 'expiring'
                  ? `No token expires within ${me.expiringDays} ${me.expiringDays === 1 ? 'day' : 'days'}`
                  : 'No token matches'}
              {query === '' ? '.' : <> whose label or user contains “{query}”.</>}
            </p>
          )}
        </div>
      )}
      {page === null && loading && <p aria-busy="true">Loading tokens…</p>}

      {dialog?.kind === 'create' && (
        <CreateTokenDialog
          api={api}
          me={me}
          onClose={() => setDialog(null)}
          onCreated={(created) => {
            setVersion(version + 1);
            setDialog({
              kind: 'secret',
              secret: {
                id: created.id,
                label: created.label,
                user: created.user,
                token: created.token,
                mode: 'created',
              },
            });
          }}
        />
      )}
      {dialog?.kind === 'secret' && (
        <SecretDialog
          secret={dialog.secret}
          me={me}
          onClose={() => setDialog(null)}
          onSnippet={() => setDialog({ kind: 'snippet', token: dialog.secret, secret: dialog.secret.token })}
        />
      )}
      {dialog?.kind === 'snippet' && (
        <SnippetDialog
          api={api}
          me={me}
          token={dialog.token}
          secret={dialog.secret}
          authType={settings?.authType ?? me.authType}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'rotate' && (
        <RotateTokenDialog
          api={api}
          token={dialog.token}
          onClose={() => setDialog(null)}
          onRotated={(rotated) => {
            setVersion(version + 1);
            setDialog({
              kind: 'secret',
              secret: {
                id: rotated.id,
                label: rotated.label,
                user: rotated.user,
                token: rotated.token,
                mode: 'created',
              },
            });
          }}
        />
      )}
      {dialog?.kind === 'bulkDelete' && (
        <BulkDeleteDialog
          api={api}
          tokens={dialog.tokens}
          onClose={() => setDialog(null)}
          onDone={(outcome) => {
            props.notify(bulkDeleteNotice(outcome));
            // what failed stays selected, to try again or look at
            setSelected(new Map(outcome.failed.map((f) => [f.token.id, f.token])));
            setDialog(null);
            setVersion(version + 1);
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteTokenDialog
          api={api}
          token={dialog.token}
          onClose={() => setDialog(null)}
          onDeleted={() => {
            toggle([dialog.token], false);
            props.notify({
              kind: 'success',
              text: `Token “${dialog.token.label}” was deleted: it stops working at once.`,
            });
            setDialog(null);
            setVersion(version + 1);
          }}
        />
      )}
    </section>
  );
}
