import { useId } from 'preact/hooks';

export interface PagerProps {
  readonly total: number;
  readonly startAt: number;
  readonly pageSize: number;
  readonly sizes: readonly number[];
  readonly onPage: (startAt: number) => void;
  readonly onSize: (size: number) => void;
  /** What is being paged, plural: `tokens`, `records`. */
  readonly noun: string;
  /** `total` is a lower bound: shown as "at least". */
  readonly atLeast?: boolean;
}

/** "1–25 of 1,234 tokens", previous/next, page size. */
export function Pager(props: PagerProps) {
  const sizeId = useId();
  const first = props.total === 0 ? 0 : props.startAt + 1;
  const last = Math.min(props.total, props.startAt + props.pageSize);
  const page = Math.floor(props.startAt / props.pageSize) + 1;
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  return (
    <nav class="pager" aria-label={`Pages of ${props.noun}`}>
      <p class="pager-status" aria-live="polite">
        {first.toLocaleString()}–{last.toLocaleString()} of {props.atLeast === true ? 'at least ' : ''}
        {props.total.toLocaleString()} {props.noun}
        <span class="muted">
          {' '}
          · page {page} of {props.atLeast === true ? 'at least ' : ''}
          {pages}
        </span>
      </p>
      <div class="pager-controls">
        <label for={sizeId} class="inline-label">
          Per page
        </label>
        <select
          id={sizeId}
          value={String(props.pageSize)}
          onChange={(e) => props.onSize(Number(e.currentTarget.value))}
        >
          {props.sizes.map((size) => (
            <option key={size} value={String(size)}>
              {size}
            </option>
          ))}
        </select>
        <button
          type="button"
          class="button"
          disabled={props.startAt === 0}
          onClick={() => props.onPage(Math.max(0, props.startAt - props.pageSize))}
        >
          ‹ Previous<span class="visually-hidden"> page</span>
        </button>
        <button
          type="button"
          class="button"
          disabled={last >= props.total}
          onClick={() => props.onPage(props.startAt + props.pageSize)}
        >
          Next<span class="visually-hidden"> page</span> ›
        </button>
      </div>
    </nav>
  );
}
