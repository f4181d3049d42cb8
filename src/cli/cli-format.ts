/** `2024-05-01 12:00` (UTC) for an epoch-ms time; `never` for 0. */
export function formatTime(ms: number, never = 'never'): string {
  return ms === 0 ? never : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

/** Control characters shown as `\uXXXX`, so a stored value cannot move the terminal's cursor. */
export function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/** A plain-text table: a header row and rows, columns padded to their widest cell. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows].map((row) => row.map(printable));
  const widths = header.map((_, i) => Math.max(...all.map((row) => [...(row[i] ?? '')].length)));
  return all
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)))
        .join('  '),
    )
    .join('\n')
    .concat('\n');
}
