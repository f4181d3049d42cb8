import { useId, useState } from 'preact/hooks';
import { type Api, ApiError } from './api.js';
import { sentence } from './format.js';
import { Modal } from './modal.js';
import type { RotatedToken, TokenItem } from './types.js';

export interface RotateTokenDialogProps {
  readonly api: Api;
  readonly token: TokenItem;
  readonly onClose: () => void;
  readonly onRotated: (rotated: RotatedToken) => void;
}

/** "Rotate this token?" — a new secret; the old one keeps working for the chosen grace period. */
export function RotateTokenDialog(props: RotateTokenDialogProps) {
  const [busy, setBusy] = useState(false);
  const [grace, setGrace] = useState('60');
  const [error, setError] = useState<string | null>(null);
  const describe = useId();
  const graceId = useId();
  const rotate = async () => {
    setBusy(true);
    setError(null);
    try {
      const rotated = await props.api.send<RotatedToken>('POST', 'tokenTools/rotate', {
        id: props.token.id,
        graceMinutes: grace.trim() === '' ? 60 : Number(grace),
      });
      props.onRotated(rotated);
    } catch (err) {
      setError(err instanceof ApiError ? sentence(err.message) : 'The token could not be rotated.');
      setBusy(false);
    }
  };
  return (
    <Modal title="Rotate token?" describedBy={describe} onClose={props.onClose}>
      <p id={describe}>
        Give <strong>“{props.token.label}”</strong> a new secret, with the same user, rules, limits and expiry. The old
        secret keeps working for the grace period, then stops on every node.
      </p>
      <label for={graceId}>Grace period (minutes; 0 = stop the old secret at once)</label>
      <input
        id={graceId}
        type="number"
        min={0}
        max={43200}
        value={grace}
        onInput={(e) => setGrace((e.target as HTMLInputElement).value)}
      />
      {error !== null && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" class="button" onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" class="button button-primary" onClick={rotate} disabled={busy}>
          {busy ? 'Rotating…' : 'Rotate token'}
        </button>
      </div>
    </Modal>
  );
}
