/** A message for the person: `success` after an action, `error` when something failed. */
export interface Notice {
  readonly kind: 'success' | 'error';
  readonly text: string;
}

/** The notice at the top of the view, announced to screen readers, dismissible. */
export function NoticeBar(props: { readonly notice: Notice; readonly onDismiss: () => void }) {
  return (
    <div class={`notice notice-${props.notice.kind}`} role={props.notice.kind === 'error' ? 'alert' : 'status'}>
      <span>{props.notice.text}</span>
      <button type="button" class="button-icon" aria-label="Dismiss message" onClick={props.onDismiss}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}
