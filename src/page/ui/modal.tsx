import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

export interface ModalProps {
  readonly title: string;
  /** Called once the dialog closed (Escape, the close button, or `close()` by the content). */
  readonly onClose: () => void;
  readonly children: ComponentChildren;
  readonly wide?: boolean;
  /** `alertdialog` for confirmations. */
  readonly role?: 'dialog' | 'alertdialog';
  readonly describedBy?: string;
}

/**
 * A modal `<dialog>`: opened with `showModal()` (focus is trapped, Escape closes, the page behind
 * is inert), focus returns to what opened it. Mount it to open, unmount to close.
 */
export function Modal(props: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const closed = () => onClose.current();
    dialog.addEventListener('close', closed);
    dialog.showModal();
    return () => {
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={props.wide ? 'modal modal-wide' : 'modal'}
      aria-labelledby={titleId}
      aria-describedby={props.describedBy}
      role={props.role === 'alertdialog' ? 'alertdialog' : undefined}
    >
      <div class="modal-head">
        <h2 id={titleId}>{props.title}</h2>
        <button type="button" class="button-icon" aria-label="Close" onClick={() => ref.current?.close()}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div class="modal-body">{props.children}</div>
    </dialog>
  );
}
