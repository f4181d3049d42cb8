/** One line of a limitTo text, trimmed, with where it stands in the text. */
export interface SourceLine {
  /** 1-based line number (blank lines counted). */
  readonly number: number;
  /** The line without leading and trailing whitespace. */
  readonly text: string;
  /** 1-based column, in the untrimmed line, of `text[0]`. */
  readonly column: number;
}

const LF = 0x0a;
const CR = 0x0d;
const BACKSLASH = 0x5c;
const LOWER_N = 0x6e;
const LESS_THAN = 0x3c;

/** `<br>`, `<br/>`, `<br />` in any case, at the start of the text it is tried on. */
const BR_TAG = /^<br[ \t]{0,20}\/?>/i;

/** Length of the line separator starting at `i`, or 0 when there is none. */
function separatorLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === LF) return 1;
  if (c === CR && text.charCodeAt(i + 1) === LF) return 2;
  if (c === BACKSLASH) {
    if (text.charCodeAt(i + 1) === LOWER_N) return 2;
    if (text.charCodeAt(i + 1) === BACKSLASH && text.charCodeAt(i + 2) === LOWER_N) return 3;
    return 0;
  }
  if (c === LESS_THAN) {
    const tag = BR_TAG.exec(text.slice(i, i + 26));
    return tag === null ? 0 : tag[0].length;
  }
  return 0;
}

function sourceLine(number: number, raw: string): SourceLine {
  const text = raw.trim();
  const column = text === '' ? 1 : raw.length - raw.trimStart().length + 1;
  return { number, text, column };
}

/**
 * Splits a limitTo text into lines. Separators: LF, CRLF, the two characters `\n`, the three
 * characters `\\n`, and `<br>` / `<br/>` / `<br />` in any case. Every line is returned, blank
 * ones too, so that line numbers match what the person wrote.
 *
 * @example
 * splitLines('[GET].*<br>\\n.*\/x').map((l) => l.text) // ['[GET].*', '', '.*\/x']
 */
export function splitLines(text: string): SourceLine[] {
  const lines: SourceLine[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const length = separatorLength(text, i);
    if (length === 0) {
      i++;
      continue;
    }
    lines.push(sourceLine(lines.length + 1, text.slice(start, i)));
    i += length;
    start = i;
  }
  lines.push(sourceLine(lines.length + 1, text.slice(start)));
  return lines;
}
