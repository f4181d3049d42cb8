import { useEffect, useState } from 'preact/hooks';

/** Copies with the Clipboard API, or (plain HTTP, older browsers) through a selected text area. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard !== undefined && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall back below
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

export interface CopyButtonProps {
  readonly text: string;
  /** Visible label, e.g. `Copy token`. */
  readonly label: string;
  readonly class?: string;
}

/** A button that copies `text` and says so (visibly and to screen readers). */
export function CopyButton(props: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <span class="copy">
      <button
        type="button"
        class={props.class ?? 'button'}
        onClick={async () => setState((await copyText(props.text)) ? 'copied' : 'failed')}
      >
        {state === 'copied' ? 'Copied ✓' : props.label}
      </button>
      <span role="status" class={state === 'failed' ? 'copy-failed' : 'visually-hidden'}>
        {state === 'copied'
          ? 'Copied to the clipboard.'
          : state === 'failed'
            ? 'Could not copy: select the text and copy it by hand.'
            : ''}
      </span>
    </span>
  );
}
