/** Renders rows of cells as a Markdown table with aligned columns (readable in a terminal too). */

export type Align = 'left' | 'right';

export interface Column {
  readonly title: string;
  readonly align: Align;
}

function pad(text: string, width: number, align: Align): string {
  const gap = ' '.repeat(Math.max(0, width - [...text].length));
  return align === 'left' ? text + gap : gap + text;
}

/**
 * @example
 * renderTable([{ title: 'row', align: 'right' }, { title: 'target', align: 'left' }], [['1', 'upstream']]);
 * // | row | target   |
 * // | --: | :------- |
 * // |   1 | upstream |
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, i) =>
    Math.max(3, [...column.title].length, ...rows.map((row) => [...(row[i] ?? '')].length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${columns.map((column, i) => pad(cells[i] ?? '', widths[i] ?? 3, column.align)).join(' | ')} |`;
  const rule = `| ${columns
    .map((column, i) => {
      const dashes = '-'.repeat((widths[i] ?? 3) - 1);
      return column.align === 'right' ? `${dashes}:` : `:${dashes}`;
    })
    .join(' | ')} |`;
  return [line(columns.map((c) => c.title)), rule, ...rows.map(line)].join('\n');
}

/** `15321.4` → `15.3k`; below 1000 → whole number. */
export function formatRate(reqPerSec: number): string {
  if (!Number.isFinite(reqPerSec)) return '—';
  if (reqPerSec >= 1000) return `${(reqPerSec / 1000).toFixed(1)}k`;
  return reqPerSec.toFixed(0);
}

/** Milliseconds with two decimals (`—` when unknown). */
export function formatMs(ms: number): string {
  return Number.isFinite(ms) ? ms.toFixed(2) : '—';
}

/** A ratio as `0.72×` (`—` when unknown). */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '—';
}
