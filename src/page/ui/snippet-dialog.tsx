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

type Tab = SnippetLanguage | 'postman';
const TABS: readonly { readonly key: Tab; readonly text: string }[] = [
  { key: 'curl', text: 'curl' },
  { key: 'javascript', text: 'JavaScript' },
  { key: 'python', text: 'Python' },
  { key: 'postman', text: 'Postman' },
];
const PLACEHOLDER = '<YOUR_TOKEN>';

/** Ready-to-paste code for a token (curl, `fetch`, `requests`) for the current auth setting, and Postman steps. */
export function SnippetDialog(props: SnippetDialogProps) {
  const [tab, setTab] = useState<Tab>('curl');
  const [path, setPath] = useState('/rest/api/space');
  const settledPath = useDebounced(path.trim(), 300);
  const [snippet, setSnippet] = useState<Snippet | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const ids = { path: useId(), pathError: useId(), tabs: useId(), panel: useId() };

  useEffect(() => {
    if (tab === 'postman') return;
    let current = true;
    props.api.get<Snippet>('tokenTools/snippet', { id: props.token.id, lang: tab, path: settledPath }).then(
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
  const usesBasic = basicOnly || props.authType !== 'bearer';

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
      <p class="lead small">
        {usesBasic
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
          onInput={(e) => setPath(e.currentTarget.value)}
          aria-invalid={error !== null}
          aria-describedby={error !== null ? ids.pathError : undefined}
        />
        {error !== null && (
          <p class="field-error" id={ids.pathError}>
            {error}
          </p>
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
        {tab === 'postman' ? (
          <PostmanSteps
            me={props.me}
            user={props.token.user}
            usesBasic={usesBasic}
            bearerToo={!basicOnly && props.authType === 'both'}
            path={path}
          />
        ) : (
          <>
            <pre class="code">
              <code data-testid="snippet-code">{code}</code>
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
          </>
        )}
      </div>
    </Modal>
  );
}

function PostmanSteps(props: {
  readonly me: Me;
  readonly user: string | null;
  readonly usesBasic: boolean;
  readonly bearerToo: boolean;
  readonly path: string;
}) {
  const url = `${props.me.publicUrl}${props.path}`;
  return (
    <div class="postman">
      <ol>
        <li>
          Create a request to <code>{url}</code>.
        </li>
        {props.usesBasic && (
          <li>
            On the <strong>Authorization</strong> tab choose the type <strong>Basic Auth</strong>.
            <ul>
              <li>
                <strong>Username</strong>:{' '}
                {props.user === null ? (
                  'the username or email address of the user to call as'
                ) : (
                  <code>{props.user}</code>
                )}{' '}
                (a username or an email address).
              </li>
              <li>
                <strong>Password</strong>: the token generated on this page.
              </li>
            </ul>
          </li>
        )}
        {(!props.usesBasic || props.bearerToo) && (
          <li>
            {props.bearerToo ? 'Or choose' : 'On the Authorization tab choose'} the type <strong>Bearer Token</strong>.
            <ul>
              <li>
                <strong>Token</strong>: the token generated on this page (the unique token).
              </li>
            </ul>
          </li>
        )}
        <li>Send the request. Every call is checked against the token’s restrictions and added to the audit log.</li>
      </ol>
    </div>
  );
}
