import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, createApi } from './api.js';
import { AuditView } from './audit-view.js';
import { type Notice, NoticeBar } from './notice.js';
import { addressOf, type View, viewOf } from './routes.js';
import { SettingsView } from './settings-view.js';
import { SignInView } from './sign-in-view.js';
import { TokensView } from './tokens-view.js';
import type { Me, SessionAnswer } from './types.js';
import { UpstreamCredentialPanel } from './upstream-credential-panel.js';

/** The page root (`…/tokengate/`), whatever view the page was opened on. */
const ROOT = new URL('./', document.baseURI).href;
const ROOT_PATH = new URL(ROOT).pathname;
const TITLES: Record<View, string> = { tokens: 'REST API Tokens', audit: 'Audit log', settings: 'Settings' };

type SessionState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'signedOut'; readonly message: string | null }
  | { readonly kind: 'signedIn'; readonly me: Me };

/** The whole page: sign-in, or the signed-in layout with its three views. */
export function App() {
  const [session, setSession] = useState<SessionState>({ kind: 'loading' });
  const [view, setView] = useState<View>(() => viewOf(location.pathname, ROOT_PATH));
  const [search, setSearch] = useState(() => location.search);
  const [notice, setNotice] = useState<Notice | null>(null);
  /** Bumped on every navigation: following a link to the current view reloads it. */
  const [visit, setVisit] = useState(0);
  const csrf = useRef('');
  const signedIn = session.kind === 'signedIn';
  const signedInRef = useRef(signedIn);
  signedInRef.current = signedIn;

  const api = useMemo(
    () =>
      createApi({
        base: new URL('api/', ROOT).href,
        csrf: () => csrf.current,
        onSignedOut: (message) => {
          if (!signedInRef.current) return;
          csrf.current = '';
          setSession({ kind: 'signedOut', message });
        },
      }),
    [],
  );

  const signedInAs = useCallback((me: Me) => {
    csrf.current = me.csrfToken;
    setSession({ kind: 'signedIn', me });
  }, []);

  useEffect(() => {
    // `session` answers 200 signed in or not: no 401 in the console before sign-in
    api.get<SessionAnswer>('session').then(
      (answer) => (answer.signedIn ? signedInAs(answer) : setSession({ kind: 'signedOut', message: answer.message })),
      (err: unknown) => setSession({ kind: 'signedOut', message: err instanceof ApiError ? err.message : null }),
    );
  }, [api, signedInAs]);

  useEffect(() => {
    const onPop = () => {
      setView(viewOf(location.pathname, ROOT_PATH));
      setSearch(location.search);
    };
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    document.title = `${session.kind === 'signedIn' ? TITLES[view] : 'Sign in'} · tokengate`;
  }, [view, session.kind]);

  const navigate = useCallback((next: View, query: Record<string, string> = {}) => {
    const href = addressOf(next, ROOT, query);
    history.pushState(null, '', href);
    setView(next);
    setSearch(new URL(href).search);
    setVisit((n) => n + 1);
    setNotice(null);
    document.getElementById('main')?.focus();
  }, []);

  const signOut = async () => {
    try {
      await api.send('DELETE', 'session');
    } catch {
      // signed out either way
    }
    csrf.current = '';
    setSession({ kind: 'signedOut', message: 'You are signed out.' });
  };

  if (session.kind === 'loading') {
    return (
      <main id="main" class="loading" aria-busy="true">
        <p>Loading…</p>
      </main>
    );
  }
  if (session.kind === 'signedOut') {
    return <SignInView api={api} message={session.message} onSignedIn={signedInAs} />;
  }
  const { me } = session;
  const shown: View = view === 'settings' && !me.user.admin ? 'tokens' : view;
  const link = (target: View, text: string) => (
    <a
      href={addressOf(target, ROOT)}
      aria-current={shown === target ? 'page' : undefined}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(target);
      }}
    >
      {text}
    </a>
  );
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <span class="brand">
            <img src={new URL('./favicon.svg', import.meta.url).href} alt="" width="24" height="24" />
            tokengate
          </span>
          <nav aria-label="Main">
            {link('tokens', 'Tokens')}
            {link('audit', 'Audit log')}
            {me.user.admin && link('settings', 'Settings')}
          </nav>
          <div class="account">
            <span class="account-name">
              {me.user.displayName ?? me.user.username}
              <span class="account-role">{me.user.admin ? 'Administrator' : 'User'}</span>
            </span>
            <button type="button" class="button button-quiet" onClick={signOut}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {notice !== null && <NoticeBar notice={notice} onDismiss={() => setNotice(null)} />}
        {shown === 'tokens' && (
          <TokensView
            key={visit}
            api={api}
            me={me}
            notify={setNotice}
            showCalls={(tokenId, label) => navigate('audit', { tokenId, tokenLabel: label })}
          />
        )}
        {shown === 'tokens' && <UpstreamCredentialPanel key={`u${visit}`} api={api} notify={setNotice} />}
        {shown === 'audit' && <AuditView key={visit} api={api} me={me} search={search} />}
        {shown === 'settings' && <SettingsView key={visit} api={api} me={me} notify={setNotice} />}
      </main>
    </>
  );
}
