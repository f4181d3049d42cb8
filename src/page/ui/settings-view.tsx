import { useEffect, useId, useState } from 'preact/hooks';
import { DEFAULT_PROTECTED_PREFIX, EXTENDER_BASE } from '../../http/paths.js';
import { type Api, ApiError } from './api.js';
import { sentence } from './format.js';
import type { Notice } from './notice.js';
import type { AuthType, Me, Settings } from './types.js';

export interface SettingsViewProps {
  readonly api: Api;
  readonly me: Me;
  readonly notify: (notice: Notice | null) => void;
}

const AUTH_CHOICES: readonly { readonly value: AuthType; readonly title: string; readonly text: string }[] = [
  {
    value: 'basic',
    title: 'Basic auth',
    text: 'USER:TOKEN in the Authorization header. Works with almost every client; the default.',
  },
  {
    value: 'bearer',
    title: 'Bearer token',
    text: 'Authorization: Bearer TOKEN. Only tokens bound to a user can be used.',
  },
  { value: 'both', title: 'Both', text: 'Accept either; tokens for “any user” still need Basic auth.' },
];

type Editable = Omit<Settings, 'secureMode'>;

/** Administrators: auth methods, Extender-only endpoints, usage details, audit log; secure mode read-only. */
export function SettingsView(props: SettingsViewProps) {
  const { api } = props;
  const [saved, setSaved] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<Editable | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { heading: useId(), auth: useId(), extender: useId(), usage: useId(), audit: useId(), secure: useId() };

  useEffect(() => {
    api.get<{ settings: Settings }>('tokenTools/settings').then(
      (r) => {
        setSaved(r.settings);
        setDraft(r.settings);
      },
      (err: unknown) => setError(err instanceof ApiError ? sentence(err.message) : 'The settings could not be loaded.'),
    );
  }, [api]);

  if (draft === null || saved === null) {
    return (
      <section aria-labelledby={ids.heading}>
        <h1 id={ids.heading}>Settings</h1>
        {error === null ? (
          <p aria-busy="true">Loading…</p>
        ) : (
          <p class="notice notice-error" role="alert">
            {error}
          </p>
        )}
      </section>
    );
  }

  const changed = (Object.keys(draft) as (keyof Editable)[]).filter((key) => draft[key] !== saved[key]);
  const save = async (event: Event) => {
    event.preventDefault();
    if (changed.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      const patch = Object.fromEntries(changed.map((key) => [key, draft[key]]));
      const result = await api.send<{ settings: Settings }>('POST', 'tokenTools/set', patch);
      setSaved(result.settings);
      setDraft(result.settings);
      props.notify({ kind: 'success', text: 'Settings saved. Every node uses them within a second.' });
    } catch (err) {
      setError(err instanceof ApiError ? sentence(err.message) : 'The settings could not be saved.');
    } finally {
      setBusy(false);
    }
  };
  const toggle = (key: 'extenderEndpointsOnly' | 'usageDetails' | 'auditLog') =>
    setDraft({ ...draft, [key]: !draft[key] });

  return (
    <section aria-labelledby={ids.heading}>
      <div class="view-head">
        <div>
          <h1 id={ids.heading}>Settings</h1>
          <p class="lead">These settings apply to every token, on every node.</p>
        </div>
      </div>
      <form class="card settings" onSubmit={save}>
        <fieldset>
          <legend>Token authentication</legend>
          <p class="hint">Which authorization methods the gateway accepts for tokens.</p>
          {AUTH_CHOICES.map((choice) => (
            <div class="choice" key={choice.value}>
              <input
                type="radio"
                id={`${ids.auth}-${choice.value}`}
                name="authType"
                value={choice.value}
                checked={draft.authType === choice.value}
                onChange={() => setDraft({ ...draft, authType: choice.value })}
                aria-describedby={`${ids.auth}-${choice.value}-text`}
              />
              <label for={`${ids.auth}-${choice.value}`}>{choice.title}</label>
              <p class="hint" id={`${ids.auth}-${choice.value}-text`}>
                {choice.text}
              </p>
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>Tokens and records</legend>
          <div class="choice">
            <input
              type="checkbox"
              id={ids.extender}
              checked={draft.extenderEndpointsOnly}
              onChange={() => toggle('extenderEndpointsOnly')}
              aria-describedby={`${ids.extender}-text`}
            />
            <label for={ids.extender}>Restrict tokens only to Extender endpoints</label>
            <p class="hint" id={`${ids.extender}-text`}>
              Tokens then work only for <code>{EXTENDER_BASE}*</code> instead of every{' '}
              <code>{DEFAULT_PROTECTED_PREFIX}*</code> endpoint.
            </p>
          </div>
          <div class="choice">
            <input
              type="checkbox"
              id={ids.usage}
              checked={draft.usageDetails}
              onChange={() => toggle('usageDetails')}
              aria-describedby={`${ids.usage}-text`}
            />
            <label for={ids.usage}>Collect usage details</label>
            <p class="hint" id={`${ids.usage}-text`}>
              Count each token’s calls and keep its last use and last client address.
            </p>
          </div>
          <div class="choice">
            <input
              type="checkbox"
              id={ids.audit}
              checked={draft.auditLog}
              onChange={() => toggle('auditLog')}
              aria-describedby={`${ids.audit}-text`}
            />
            <label for={ids.audit}>Add token calls to the audit log</label>
            <p class="hint" id={`${ids.audit}-text`}>
              Administrative actions (tokens created or deleted, settings changed) are always recorded.
            </p>
          </div>
        </fieldset>
        {error !== null && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" class="button" disabled={changed.length === 0 || busy} onClick={() => setDraft(saved)}>
            Undo changes
          </button>
          <button type="submit" class="button button-primary" disabled={changed.length === 0 || busy}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
        </div>
      </form>

      <section class="card secure-mode" aria-labelledby={ids.secure}>
        <h2 id={ids.secure}>
          Secure mode:{' '}
          <span class={saved.secureMode ? 'badge badge-ok' : 'badge badge-neutral'}>
            {saved.secureMode ? 'on' : 'off (standard mode)'}
          </span>
        </h2>
        <p>
          {saved.secureMode
            ? 'A token’s secret is shown only once, when it is created; only a digest is kept, and nobody can see it again.'
            : 'Secrets are kept encrypted, and administrators can show a token again. In secure mode a secret is shown only once, at creation, and only a digest is kept.'}
        </p>
        <p>Secure mode is a startup setting and cannot be changed here. To change it:</p>
        <ol>
          <li>
            Stop every tokengate node (a rolling restart is not enough: a node refuses to start in a mode other than the
            running nodes’).
          </li>
          <li>
            Set <code>secureMode: {saved.secureMode ? 'false' : 'true'}</code> in the configuration file, or{' '}
            <code>TOKENGATE_SECURE_MODE={saved.secureMode ? 'false' : 'true'}</code> in the environment, of every node.
          </li>
          <li>Start the nodes again.</li>
        </ol>
        {!saved.secureMode && (
          <p class="hint">Turning secure mode on discards every kept secret; the tokens themselves keep working.</p>
        )}
      </section>
    </section>
  );
}
