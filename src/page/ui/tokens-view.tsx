import { useEffect, useId, useState } from 'preact/hooks';
import { DEFAULT_PROTECTED_PREFIX, EXTENDER_BASE } from '../../http/paths.js';
import { type Api, ApiError } from './api.js';
import { CreateTokenDialog } from './create-token-dialog.js';
import { DeleteTokenDialog } from './delete-token-dialog.js';
import { sentence } from './format.js';
import { useDebounced } from './hooks.js';
import type { Notice } from './notice.js';
import { Pager } from './pager.js';
import { SecretDialog, type SecretToShow } from './secret-dialog.js';
import { SnippetDialog } from './snippet-dialog.js';
import { TokenTable } from './token-table.js';
import type { Me, Settings, SortKey, TokenItem, TokenPage } from './types.js';

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
  | { readonly kind: 'delete'; readonly token: TokenItem };

const SORT_CHOICES: readonly { readonly key: SortKey; readonly text: string }[] = [
  { key: 'created', text: 'Created' },
  { key: 'label', text: 'Label' },
  { key: 'user', text: 'User' },
  { key: 'expiry', text: 'Expiry' },
  { key: 'lastUsed', text: 'Last used' },
  { key: 'calls', text: 'Calls' },
];

/** The token list with search, sort and paging, and the create / secret / snippet / delete dialogs. */
export function TokensView(props: TokensViewProps) {
  const { api, me } = props;
  const [search, setSearch] = useState('');
  const query = useDebounced(search.trim(), 250);
  const [sort, setSort] = useState<SortKey>('created');
  const [descending, setDescending] = useState(true);
  const [startAt, setStartAt] = useState(0);
  const [pageSize, setPageSize] = useState(25);
  const [page, setPage] = useState<TokenPage | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const ids = { search: useId(), sort: useId(), intro: useId() };

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
      .get<TokenPage>('tokens', { q: query, sort, dir: descending ? 'desc' : 'asc', startAt, maxResults: pageSize })
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
  }, [api, query, sort, descending, startAt, pageSize, version]);

  useEffect(() => setStartAt(0), [query]);

  const sortBy = (key: SortKey) => {
    if (key === sort) setDescending(!descending);
    else {
      setSort(key);
      setDescending(key === 'created' || key === 'lastUsed' || key === 'calls');
    }
    setStartAt(0);
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
      </search>

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
            sort={sort}
            descending={descending}
            onSort={sortBy}
            canReveal={canReveal}
            busy={loading}
            onSnippet={(token) => setDialog({ kind: 'snippet', token, secret: null })}
            onReveal={reveal}
            onCalls={(token) => props.showCalls(token.id, token.label)}
            onDelete={(token) => setDialog({ kind: 'delete', token })}
          />
          <Pager
            total={page.total}
            startAt={startAt}
            pageSize={pageSize}
            sizes={[25, 50, 100, 200]}
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
            <p>No token’s label or user contains “{query}”.</p>
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
      {dialog?.kind === 'delete' && (
        <DeleteTokenDialog
          api={api}
          token={dialog.token}
          onClose={() => setDialog(null)}
          onDeleted={() => {
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
