import { useId } from 'preact/hooks';
import { DEFAULT_PROTECTED_PREFIX } from '../../http/paths.js';
import { CopyButton } from './copy-button.js';
import { Modal } from './modal.js';
import type { Me } from './types.js';

/** A secret to show: just created, or shown again by an administrator. */
export interface SecretToShow {
  readonly id: string;
  readonly label: string;
  readonly user: string | null;
  readonly token: string;
  readonly mode: 'created' | 'revealed';
}

export interface SecretDialogProps {
  readonly secret: SecretToShow;
  readonly me: Me;
  readonly onClose: () => void;
  /** Opens the code snippet with this secret filled in. */
  readonly onSnippet: () => void;
}

/** The token's secret with a copy button; in secure mode a clear "you will not see this again". */
export function SecretDialog(props: SecretDialogProps) {
  const { secret, me } = props;
  const ids = { field: useId(), note: useId() };
  const userPart = secret.user ?? 'USER';
  return (
    <Modal
      title={secret.mode === 'created' ? `Token “${secret.label}” created` : `Token “${secret.label}”`}
      onClose={props.onClose}
      describedBy={ids.note}
      wide
    >
      {secret.mode === 'created' && me.secureMode ? (
        <div class="callout callout-warning" id={ids.note}>
          <strong>Copy the token now: you will not see it again.</strong> tokengate runs in secure mode and keeps only a
          digest of it. If it is lost, delete the token and create a new one.
        </div>
      ) : (
        <p class="callout callout-info" id={ids.note}>
          {secret.mode === 'revealed'
            ? 'Treat this token like a password. Showing it again is recorded in the audit log.'
            : me.user.admin
              ? 'Copy the token and keep it like a password. As an administrator you can show it again later from the list.'
              : 'Copy the token and keep it like a password. Only an administrator can show it again.'}
        </p>
      )}
      <div class="field">
        <label for={ids.field}>Token</label>
        <div class="secret-row">
          <input
            id={ids.field}
            class="secret"
            readOnly
            value={secret.token}
            spellcheck={false}
            autoComplete="off"
            onFocus={(e) => e.currentTarget.select()}
          />
          <CopyButton text={secret.token} label="Copy token" class="button button-primary" />
        </div>
      </div>
      <p class="hint">
        Use it in place of a password, for example{' '}
        <code>
          curl -u {userPart}:TOKEN {me.publicUrl}
          {DEFAULT_PROTECTED_PREFIX}…
        </code>
        {secret.user === null && ' (any user may use it, with Basic auth only)'}.
      </p>
      <div class="dialog-actions">
        <button type="button" class="button" onClick={props.onSnippet}>
          Code snippet…
        </button>
        <button type="button" class="button button-primary" onClick={props.onClose}>
          {secret.mode === 'created' && me.secureMode ? 'I have copied it' : 'Done'}
        </button>
      </div>
    </Modal>
  );
}
