import { useId, useState } from 'preact/hooks';
import { type Api, ApiError } from './api.js';
import { sentence } from './format.js';
import { Modal } from './modal.js';
import type { TokenItem } from './types.js';

export interface DeleteTokenDialogProps {
  readonly api: Api;
  readonly token: TokenItem;
  readonly onClose: () => void;
  readonly onDeleted: () => void;
}

/** "Delete this token?" — revoking is immediate and cannot be undone. */
export function DeleteTokenDialog(props: DeleteTokenDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const describe = useId();
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.api.send('DELETE', 'tokenTools/delete', { id: props.token.id });
      props.onDeleted();
    } catch (err) {
      setError(err instanceof ApiError ? sentence(err.message) : 'The token could not be deleted.');
      setBusy(false);
    }
  };
  return (
    <Modal title="Delete token?" role="alertdialog" describedBy={describe} onClose={props.onClose}>
      <p id={describe}>
        Delete <strong>“{props.token.label}”</strong>
        {props.token.user === null ? ' (any user)' : ` of ${props.token.user}`}? Every script that uses it stops working
        at once, on every node. This cannot be undone.
      </p>
      {error !== null && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="dialog-actions">
        {/* biome-ignore lint/a11y/noAutofocus: a destructive confirmation opens on its safe choice */}
        <button type="button" class="button" onClick={props.onClose} autoFocus>
          Cancel
        </button>
        <button type="button" class="button button-danger" onClick={remove} disabled={busy}>
          {busy ? 'Deleting…' : 'Delete token'}
        </button>
      </div>
    </Modal>
  );
}
