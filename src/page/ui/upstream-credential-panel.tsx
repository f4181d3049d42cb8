import { useEffect, useId, useState } from 'preact/hooks';
import { type Api, ApiError } from './api.js';
import { formatDate, sentence } from './format.js';
import type { Notice } from './notice.js';

export interface UpstreamCredentialPanelProps {
  readonly api: Api;
  readonly notify: (notice: Notice | null) => void;
}

interface Described {
  readonly type: 'bearer' | 'basic';
  readonly dateSet: number;
}

/**
 * The signed-in user's own upstream credential: whether one is set (never its value), and a
 * form to set or replace it (a personal access token, or name:password) or to clear it.
 */
export function UpstreamCredentialPanel(props: UpstreamCredentialPanelProps) {
  const { api, notify } = props;
  const [current, setCurrent] = useState<Described | null | undefined>(undefined);
  const [type, setType] = useState<'bearer' | 'basic'>('bearer');
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { heading: useId(), type: useId(), value: useId(), help: useId() };

  const load = () =>
    api.get<{ credential: Described | null }>('upstream-credential').then(
      (r) => setCurrent(r.credential),
      (err: unknown) => setError(err instanceof ApiError ? sentence(err.message) : 'Could not load it.'),
    );
  useEffect(() => {
    void load();
  }, [api]);

  const change = async (method: 'POST' | 'DELETE') => {
    setBusy(true);
    setError(null);
    try {
      await api.send(method, 'tokenTools/upstreamCredential', method === 'POST' ? { type, value } : {});
      setValue('');
      notify({
        kind: 'success',
        text: method === 'POST' ? 'Upstream credential saved.' : 'Upstream credential removed.',
      });
      await load();
    } catch (err) {
      setError(err instanceof ApiError ? sentence(err.message) : 'The change could not be saved.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={ids.heading} class="upstream-credential">
      <h2 id={ids.heading}>Your upstream credential</h2>
      <p id={ids.help}>
        Your token calls reach the upstream as you with your own credential (for example a personal access token of
        Confluence or Jira). It is kept encrypted and never shown again.
      </p>
      {current === undefined ? (
        <p aria-busy="true">Loading…</p>
      ) : current === null ? (
        <p data-testid="upstream-credential-state">None set.</p>
      ) : (
        <p data-testid="upstream-credential-state">
          A {current.type === 'bearer' ? 'bearer token' : 'name and password'} is set (since{' '}
          {formatDate(current.dateSet)}).
        </p>
      )}
      {error !== null && (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void change('POST');
        }}
      >
        <label for={ids.type}>Kind</label>
        <select id={ids.type} value={type} onChange={(e) => setType(e.currentTarget.value as 'bearer' | 'basic')}>
          <option value="bearer">Bearer token (personal access token)</option>
          <option value="basic">Basic name:password</option>
        </select>
        <label for={ids.value}>{type === 'bearer' ? 'Token' : 'name:password'}</label>
        <input
          id={ids.value}
          type="password"
          autocomplete="off"
          aria-describedby={ids.help}
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
        <button type="submit" class="button" disabled={busy || value === ''}>
          Save
        </button>
        {current !== null && current !== undefined && (
          <button type="button" class="button button-quiet" disabled={busy} onClick={() => void change('DELETE')}>
            Clear
          </button>
        )}
      </form>
    </section>
  );
}
