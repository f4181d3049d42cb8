import { useId, useState } from 'preact/hooks';
import { type Api, ApiError } from './api.js';
import { sentence } from './format.js';
import type { Me } from './types.js';

export interface SignInViewProps {
  readonly api: Api;
  /** Why the person sees this (session ended, signed out), or null. */
  readonly message: string | null;
  readonly onSignedIn: (me: Me) => void;
}

/** Sign-in with username and password (tokens are not accepted here). */
export function SignInView(props: SignInViewProps) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<{ field: 'username' | 'password' | 'form'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { username: useId(), password: useId(), error: useId(), info: useId() };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (username.trim() === '') return setError({ field: 'username', text: 'Enter your username or email address.' });
    if (password === '') return setError({ field: 'password', text: 'Enter your password.' });
    setBusy(true);
    setError(null);
    try {
      props.onSignedIn(await props.api.send<Me>('POST', 'session', { username: username.trim(), password }));
    } catch (err) {
      const text = err instanceof ApiError ? sentence(err.message) : 'Signing in failed; try again.';
      setError({ field: err instanceof ApiError && err.status === 401 ? 'password' : 'form', text });
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (field: 'username' | 'password') =>
    error?.field === field ? (
      <p class="field-error" id={ids.error}>
        {error.text}
      </p>
    ) : null;

  return (
    <main id="main" class="sign-in">
      <form
        class="card sign-in-card"
        onSubmit={submit}
        noValidate
        aria-describedby={props.message === null ? undefined : ids.info}
      >
        <h1>
          <img src={new URL('./favicon.svg', import.meta.url).href} alt="" width="32" height="32" /> tokengate
        </h1>
        <p class="lead">Sign in to manage your REST API tokens.</p>
        {props.message !== null && (
          <p class="notice notice-info" role="status" id={ids.info}>
            {sentence(props.message)}
          </p>
        )}
        <div class="field">
          <label for={ids.username}>Username or email</label>
          <input
            id={ids.username}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellcheck={false}
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
            aria-invalid={error?.field === 'username'}
            aria-describedby={error?.field === 'username' ? ids.error : undefined}
            required
          />
          {fieldError('username')}
        </div>
        <div class="field">
          <label for={ids.password}>Password</label>
          <input
            id={ids.password}
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            aria-invalid={error?.field === 'password'}
            aria-describedby={error?.field === 'password' ? ids.error : undefined}
            required
          />
          {fieldError('password')}
        </div>
        {error?.field === 'form' && (
          <p class="field-error" role="alert">
            {error.text}
          </p>
        )}
        <button type="submit" class="button button-primary button-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="hint">
          No password yet? An administrator sets one with <code>tokengate user passwd USER</code>.
        </p>
      </form>
    </main>
  );
}
