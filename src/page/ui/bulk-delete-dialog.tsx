import { useId, useState } from 'preact/hooks';
import { type Api, ApiError } from './api.js';
import { sentence } from './format.js';
import { Modal } from './modal.js';
import type { TokenItem } from './types.js';

export interface BulkDeleteDialogProps {
  readonly api: Api;
  readonly tokens: readonly TokenItem[];
  readonly onClose: () => void;
  /** After every attempt: what was deleted, and what was not with the server's reason. */
  readonly onDone: (outcome: BulkDeleteOutcome) => void;
}

export interface BulkDeleteOutcome {
  readonly deleted: readonly TokenItem[];
  readonly failed: readonly { readonly token: TokenItem; readonly reason: string }[];
}

/**
 * "Delete N tokens?" — deletes the selected tokens one `tokenTools/delete` call each (the same
 * endpoint, checks and audit record as a single delete), one after the other, and reports
 * honestly which could not be deleted and why.
 */
export function BulkDeleteDialog(props: BulkDeleteDialogProps) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(0);
  const describe = useId();
  const count = props.tokens.length;
  const noun = count === 1 ? 'token' : 'tokens';

  const remove = async () => {
    setBusy(true);
    const deleted: TokenItem[] = [];
    const failed: { token: TokenItem; reason: string }[] = [];
    for (const token of props.tokens) {
      try {
        await props.api.send('DELETE', 'tokenTools/delete', { id: token.id });
        deleted.push(token);
      } catch (err) {
        failed.push({ token, reason: err instanceof ApiError ? sentence(err.message) : 'It could not be deleted.' });
      }
      setDone(deleted.length + failed.length);
    }
    props.onDone({ deleted, failed });
  };

  const shown = props.tokens.slice(0, 8);
  return (
    <Modal title={`Delete ${count} ${noun}?`} role="alertdialog" describedBy={describe} onClose={props.onClose}>
      <p id={describe}>
        Delete these <strong>{count}</strong> {noun}? Every script that uses them stops working at once, on every node.
        This cannot be undone.
      </p>
      <ul class="bulk-list">
        {shown.map((token) => (
          <li key={token.id}>
            “{token.label}” <span class="muted">{token.user === null ? '(any user)' : `of ${token.user}`}</span>
          </li>
        ))}
        {count > shown.length && <li class="muted">and {count - shown.length} more</li>}
      </ul>
      <div class="dialog-actions">
        {/* biome-ignore lint/a11y/noAutofocus: a destructive confirmation opens on its safe choice */}
        <button type="button" class="button" onClick={props.onClose} autoFocus disabled={busy}>
          Cancel
        </button>
        <button type="button" class="button button-danger" onClick={remove} disabled={busy}>
          {busy ? `Deleting… (${done} of ${count})` : `Delete ${count} ${noun}`}
        </button>
      </div>
    </Modal>
  );
}

/** The notice after a bulk delete: how many went, and each that did not with its reason. */
export function bulkDeleteNotice(outcome: BulkDeleteOutcome): { kind: 'success' | 'error'; text: string } {
  const gone = outcome.deleted.length;
  const goneText = `${gone} ${gone === 1 ? 'token was' : 'tokens were'} deleted: ${gone === 1 ? 'it stops' : 'they stop'} working at once.`;
  if (outcome.failed.length === 0) return { kind: 'success', text: goneText };
  const reasons = outcome.failed.map((f) => `“${f.token.label}”: ${f.reason}`).join(' ');
  const notText = `${outcome.failed.length} could not be deleted. ${reasons}`;
  return { kind: 'error', text: gone === 0 ? notText : `${goneText} ${notText}` };
}
