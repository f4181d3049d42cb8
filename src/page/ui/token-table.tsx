import {
  callCount,
  expiryBadge,
  formatDate,
  formatDateTime,
  restrictionsSummary,
  ruleLines,
  timeAgo,
} from './format.js';
import type { SortKey, TokenItem } from './types.js';

export interface TokenTableProps {
  readonly tokens: readonly TokenItem[];
  readonly now: number;
  /** Tokens expiring within this many days are marked (the server's "expiring" window). */
  readonly expiringDays: number;
  /** Rows ticked for bulk delete, by id. */
  readonly selected: ReadonlyMap<string, TokenItem>;
  readonly onSelect: (tokens: readonly TokenItem[], selected: boolean) => void;
  readonly sort: SortKey;
  readonly descending: boolean;
  readonly onSort: (key: SortKey) => void;
  /** Administrators in standard mode may show a secret again. */
  readonly canReveal: boolean;
  readonly onSnippet: (token: TokenItem) => void;
  readonly onReveal: (token: TokenItem) => void;
  readonly onCalls: (token: TokenItem) => void;
  readonly onDelete: (token: TokenItem) => void;
  readonly onRotate: (token: TokenItem) => void;
  readonly busy: boolean;
}

const COLUMNS: readonly { readonly key: SortKey | null; readonly title: string }[] = [
  { key: 'label', title: 'Token' },
  { key: 'user', title: 'User' },
  { key: 'created', title: 'Created' },
  { key: 'expiry', title: 'Expiry' },
  { key: null, title: 'Restrictions' },
  { key: 'calls', title: 'Usage' },
  { key: null, title: 'Actions' },
];

/**
 * The token list: a checkbox per row (and one for the page), one row per token, sortable
 * headers, actions per row; stacked cards on narrow screens.
 */
export function TokenTable(props: TokenTableProps) {
  const ticked = props.tokens.filter((t) => props.selected.has(t.id)).length;
  return (
    <div class="table-wrap">
      <table class="data-table token-table" aria-busy={props.busy}>
        <caption class="visually-hidden">
          Tokens, sorted by {props.sort} {props.descending ? 'descending' : 'ascending'}
        </caption>
        <thead>
          <tr>
            <th scope="col" class="select-cell">
              <input
                type="checkbox"
                aria-label="Select every token on this page"
                checked={ticked > 0 && ticked === props.tokens.length}
                indeterminate={ticked > 0 && ticked < props.tokens.length}
                onChange={(e) => props.onSelect(props.tokens, e.currentTarget.checked)}
              />
            </th>
            {COLUMNS.map((column) => (
              <th
                key={column.title}
                scope="col"
                aria-sort={
                  column.key !== null && column.key === props.sort
                    ? props.descending
                      ? 'descending'
                      : 'ascending'
                    : undefined
                }
              >
                {column.key === null ? (
                  column.title
                ) : (
                  <button type="button" class="sort-button" onClick={() => props.onSort(column.key as SortKey)}>
                    {column.title}
                    <span aria-hidden="true" class="sort-mark">
                      {column.key === props.sort ? (props.descending ? '▼' : '▲') : '↕'}
                    </span>
                  </button>
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.tokens.map((token) => (
            <TokenRow key={token.id} token={token} {...props} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TokenRow(props: TokenTableProps & { readonly token: TokenItem }) {
  const { token, now } = props;
  const badge = expiryBadge(token.validUntil, now, props.expiringDays);
  const rules = ruleLines(token.limitTo);
  const name = <span class="visually-hidden"> “{token.label}”</span>;
  return (
    <tr
      class={badge.kind === 'expired' ? 'row-expired' : badge.kind === 'warning' ? 'row-expiring' : undefined}
      data-expiry={badge.kind}
    >
      <td class="select-cell" data-label="Select">
        <input
          type="checkbox"
          aria-label={`Select “${token.label}”`}
          checked={props.selected.has(token.id)}
          onChange={(e) => props.onSelect([token], e.currentTarget.checked)}
        />
      </td>
      <td data-label="Token">
        <span class="token-label">{token.label}</span>
        {token.author !== null && <span class="muted small block">by {token.author}</span>}
      </td>
      <td data-label="User">
        {token.user === null ? (
          <span class="badge badge-neutral" title="Any user may use this token, with Basic auth only">
            any user (Basic only)
          </span>
        ) : (
          <span>
            {token.user}
            {token.userDisplayName !== undefined &&
              token.userDisplayName !== null &&
              token.userDisplayName !== token.user && <span class="muted small block">{token.userDisplayName}</span>}
          </span>
        )}
      </td>
      <td data-label="Created">
        <time dateTime={new Date(token.dateCreated).toISOString()} title={formatDateTime(token.dateCreated)}>
          {formatDate(token.dateCreated)}
        </time>
      </td>
      <td data-label="Expiry">
        {token.validUntil !== 0 && (
          <time
            class="block"
            dateTime={new Date(token.validUntil).toISOString()}
            title={formatDateTime(token.validUntil)}
          >
            {formatDate(token.validUntil)}
          </time>
        )}
        <span class={`badge badge-${badge.kind}`}>{badge.text}</span>
      </td>
      <td data-label="Restrictions">
        {rules.length === 0 ? (
          <span class="muted">unrestricted</span>
        ) : (
          <details class="rules">
            <summary>
              {restrictionsSummary(token.limitTo)}
              <span class="visually-hidden"> of{name}</span>
            </summary>
            <ol class="rule-list">
              {rules.map((rule, index) => (
                <li key={index}>
                  <code>{rule}</code>
                </li>
              ))}
            </ol>
          </details>
        )}
      </td>
      <td data-label="Usage">
        <span class="block">{callCount(token.counter)}</span>
        <span class="muted small block">
          {token.lastUsed === 0 ? 'never used' : <>last used {timeAgo(token.lastUsed, now)}</>}
        </span>
        {token.ip !== null && token.ip !== '' && <span class="muted small block">from {token.ip}</span>}
        {token.rateLimit !== null && <span class="muted small block">at most {token.rateLimit}</span>}
        {token.quota !== null && (
          <span class="muted small block">
            quota: {token.quotaRemaining ?? 0} of {token.quota} left
          </span>
        )}
        {token.allowedIps !== '' && (
          <span class="muted small block">only from {token.allowedIps.split('<br>').join(', ')}</span>
        )}
      </td>
      <td data-label="Actions">
        <div class="row-actions">
          <button type="button" class="button button-small" onClick={() => props.onSnippet(token)}>
            Snippet{name}
          </button>
          {props.canReveal && (
            <button type="button" class="button button-small" onClick={() => props.onReveal(token)}>
              Show token{name}
            </button>
          )}
          <button type="button" class="button button-small" onClick={() => props.onCalls(token)}>
            Calls{name}
          </button>
          <button type="button" class="button button-small" onClick={() => props.onRotate(token)}>
            Rotate{name}
          </button>
          <button type="button" class="button button-small button-danger-quiet" onClick={() => props.onDelete(token)}>
            Delete{name}
          </button>
        </div>
      </td>
    </tr>
  );
}
