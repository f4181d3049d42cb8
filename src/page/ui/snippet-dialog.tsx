import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { type Api, ApiError } from './api.js';
import { CopyButton } from './copy-button.js';
import { sentence } from './format.js';
import { useDebounced } from './hooks.js';
import { Modal } from './modal.js';
import type { AuthType, Me, Snippet, SnippetLanguage, TokenItem } from './types.js';

export interface SnippetDialogProps {
  readonly api: Api;
  readonly me: Me;
  readonly token: Pick<TokenItem, 'id' | 'label' | 'user'>;
  /** The secret when the page has it (just created): filled into the code in place of the placeholder. */
  readonly secret: string | null;
  readonly authType: AuthType;
  readonly onClose: () => void;
}

const TABS: readonly { readonly key: SnippetLanguage; readonly text: string }[] = [
  { key: 'curl', text: 'curl' },
  { key: 'javascript', text: 'JavaScript' },
  { key: 'python', text: 'Python' },
  { key: 'postman', text: 'Postman' },
];
const PLACEHOLDER = '<YOUR_TOKEN>';

/** `METHOD /path?query`, as the code sends it. */
function callText(request: Snippet['request']): string {
  const query = request.query.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');
  return `${request.method} ${request.path}${query === '' ? '' : `?${query}`}`;
}

/** Saves `text` as a file (the collection is made on the server; this only saves it). */
function download(text: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Ready-to-run code for a token: curl, `fetch`, Python's `urllib` and a Postman collection, for a
 * call the token's rules allow (the server builds it and checks it with the gateway's engine).
 * What the text says about authentication comes from the same answer as the code.
 */
export function SnippetDialog(props: SnippetDialogProps) {
  const [tab, setTab] = useState<SnippetLanguage>('curl');
  const [path, setPath] = useState('');
  const settledPath = useDebounced(path.trim(), 300);
  const [snippet, setSnippet] = useState<Snippet | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const ids = { path: useId(), pathError: useId(), pathHint: useId(), tabs: useId(), panel: useId() };

  useEffect(() => {
    let current = true;
    const query = { id: props.token.id, lang: tab, ...(settledPath === '' ? {} : { path: settledPath }) };
    props.api.get<Snippet>('tokenTools/snippet', query).then(
      (result) => {
        if (!current) return;
        setSnippet(result);
        setError(null);
      },
      (err: unknown) =>
        current && setError(err instanceof ApiError ? sentence(err.message) : 'The snippet could not be made.'),
    );
    return () => {
      current = false;
    };
  }, [props.api, props.token.id, tab, settledPath]);

  const code =
    snippet === null
      ? ''
      : !snippet.secretIncluded && props.secret !== null
        ? snippet.code.split(PLACEHOLDER).join(props.secret)
        : snippet.code;
  const hasSecret = snippet !== null && (snippet.secretIncluded || props.secret !== null);
  const basicOnly = props.token.user === null;
  const filename = `tokengate-${props.token.label.replace(/[^A-Za-z0-9_-]+/g, '-')}.postman_collection.json`;

  const onTabKey = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    const target =
      event.key === 'Home' ? 0 : event.key === 'End' ? TABS.length - 1 : (index + step + TABS.length) % TABS.length;
    if (step === 0 && event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    const next = TABS[target];
    if (next === undefined) return;
    setTab(next.key);
    tabRefs.current[target]?.focus();
  };

  return (
    <Modal title={`Code snippet · ${props.token.label}`} wide onClose={props.onClose}>
      <p class="lead small" data-testid="snippet-auth">
        {snippet === null
          ? 'Making the code…'
          : snippet.auth === 'basic'
            ? `Basic auth: the ${basicOnly ? 'username (any user may use this token)' : 'token’s user'} with the token as the password.`
            : 'Bearer token: the token in the Authorization header.'}{' '}
        The server accepts{' '}
        {props.authType === 'both' ? 'Basic and Bearer' : props.authType === 'basic' ? 'Basic auth' : 'Bearer tokens'}{' '}
        (Settings).
      </p>
      <div class="field">
        <label for={ids.path}>Path to call</label>
        <input
          id={ids.path}
          value={path}
          spellcheck={false}
          placeholder="a path the token allows"
          onInput={(e) => setPath(e.currentTarget.value)}
          aria-invalid={error !== null}
          aria-describedby={error !== null ? ids.pathError : ids.pathHint}
        />
        {error !== null ? (
          <p class="field-error" id={ids.pathError}>
            {error}
          </p>
        ) : (
          snippet !== null && (
            <p class="hint" id={ids.pathHint} data-testid="snippet-call">
              {snippet.request.problem === null ? (
                <>
                  Calls <code>{callText(snippet.request)}</code>
                  {snippet.request.body !== null ? ' with a JSON body' : ''}
                  {snippet.request.line > 0 ? `, allowed by rule line ${snippet.request.line}.` : '.'}
                </>
              ) : (
                <span class="warning-text">{sentence(snippet.request.problem)}</span>
              )}
            </p>
          )
        )}
      </div>
      <div class="tabs" role="tablist" aria-label="Language" id={ids.tabs}>
        {TABS.map((t, index) => (
          <button
            key={t.key}
            type="button"
            role="tab"
            id={`${ids.tabs}-${t.key}`}
            ref={(el) => {
              tabRefs.current[index] = el;
            }}
            aria-selected={tab === t.key}
            aria-controls={ids.panel}
            tabIndex={tab === t.key ? 0 : -1}
            class={tab === t.key ? 'tab tab-active' : 'tab'}
            onClick={() => setTab(t.key)}
            onKeyDown={(e) => onTabKey(e, index)}
          >
            {t.text}
          </button>
        ))}
      </div>
      <div class="tab-panel" role="tabpanel" id={ids.panel} aria-labelledby={`${ids.tabs}-${tab}`}>
        {tab === 'postman' && (
          <PostmanSteps
            user={props.token.user}
            usesBasic={snippet?.auth === 'basic'}
            code={snippet?.lang === 'postman' ? code : ''}
            filename={filename}
          />
        )}
        <pre class={tab === 'postman' ? 'code code-short' : 'code'}>
          <code data-testid="snippet-code">{snippet?.lang === tab ? code : ''}</code>
        </pre>
        <div class="snippet-foot">
          <p class="hint">
            {hasSecret ? (
              'The token is filled in: keep this code as safe as a password.'
            ) : (
              <>
                Replace <code>{PLACEHOLDER}</code> with the token
                {props.me.secureMode ? ' (secure mode: it was shown only once, when it was created)' : ''}.
              </>
            )}
          </p>
          <CopyButton text={code} label="Copy code" />
        </div>
      </div>
    </Modal>
  );
}

function PostmanSteps(props: {
  readonly user: string | null;
  readonly usesBasic: boolean;
  readonly code: string;
  readonly filename: string;
}) {
  return (
    <div class="postman">
      <ol>
        <li>
          <button
            type="button"
            class="button"
            disabled={props.code === ''}
            onClick={() => download(props.code, props.filename)}
          >
            Download collection
          </button>{' '}
          (a Postman collection, format v2.1, shown below).
        </li>
        <li>
          In Postman, <strong>Import</strong> the file. The request authenticates with{' '}
          {props.usesBasic ? (
            <>
              <strong>Basic Auth</strong>: username{' '}
              {props.user === null ? 'of the user to call as (replace <USERNAME>)' : <code>{props.user}</code>},
              password <code>{'{{token}}'}</code>
            </>
          ) : (
            <>
              <strong>Bearer Token</strong> <code>{'{{token}}'}</code>
            </>
          )}{' '}
          (the collection variable <code>token</code>).
        </li>
        <li>
          Or from a shell: <code>newman run {props.filename}</code>. Every call is checked against the token’s
          restrictions and added to the audit log.
        </li>
      </ol>
    </div>
  );
}
