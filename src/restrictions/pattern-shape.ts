import { skipCharClass } from './regex-scan.js';

/**
 * What a (valid) RE2 pattern looks like at its top level, for the fast paths of `FullMatcher`:
 *
 * - `glob`: only literal ASCII characters and `.*` — e.g. `.*\/rest/api/space.*`, `PM.*`, `page` —
 *   optionally ending with one optional literal character (`.*\/rest/api/content/?`).
 *   Such a pattern fully matches exactly when the input contains no line feed (RE2's `.` does
 *   not match `\n`; nothing else is excluded) and the literals appear in order, the first at the
 *   start (unless the pattern starts with `.*`) and the last at the end (unless it ends with `.*`);
 *   with an optional last character, the input with or without that last character must match.
 * - `other`: anything else. `required` lists literal runs of the top-level concatenation that
 *   every full match contains, `prefix` / `suffix` the runs it must start / end with ('' when
 *   unknown). These are necessary conditions only: RE2 still decides.
 *
 * The analysis is conservative: whatever it does not understand exactly (top-level `|`, flags,
 * `{…}`, `\Q…\E`, escapes with arguments) makes it give up (`required` empty), never guess.
 */
export type PatternShape =
  | {
      readonly kind: 'glob';
      /** The literal runs between the `.*`, in order; `segments.length - 1` gaps. */
      readonly segments: readonly string[];
      /** The character of a final `c?`, or null. */
      readonly optionalLast: string | null;
    }
  | {
      readonly kind: 'other';
      readonly prefix: string;
      readonly suffix: string;
      readonly required: readonly string[];
    };

const UNKNOWN: PatternShape = { kind: 'other', prefix: '', suffix: '', required: [] };

/** One top-level element: a literal character, `.*`, a literal character with `?`, or anything else. */
type Item =
  | { readonly kind: 'literal'; readonly char: string }
  | { readonly kind: 'gap' }
  | { readonly kind: 'optional'; readonly char: string }
  | { readonly kind: 'opaque' };

const GAP: Item = { kind: 'gap' };
const OPAQUE: Item = { kind: 'opaque' };

/** Characters with a meaning outside classes; everything else printable ASCII is itself. */
const SPECIAL = new Set(['\\', '.', '[', ']', '(', ')', '{', '}', '*', '+', '?', '|', '^', '$']);
/** Escapes that stand for one character or one assertion and take no argument. */
const SIMPLE_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B', 'A', 'z', 'C', 't', 'r', 'n', 'f', 'v', 'a']);
/** Group openers after `(?` that do not change flags. */
const PLAIN_GROUP = /^\(\?(?::|P?<[A-Za-z_])/;

function isAsciiPunctuation(c: number): boolean {
  return c >= 0x21 && c <= 0x7e && !((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
}

/** Index after the group opening at `open`, or -1 when the analysis should give up. */
function skipGroup(src: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      if (src[i + 1] === 'Q') return -1;
      i += 2;
    } else if (c === '[') {
      i = skipCharClass(src, i);
      if (i < 0) return -1;
    } else {
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return i + 1;
      i++;
    }
  }
  return -1;
}

/** Index after the atom starting at `i` and the item it is, or null to give up. */
function readAtom(src: string, i: number): { next: number; item: Item } | null {
  const c = src[i] as string;
  const code = src.charCodeAt(i);
  if (c === '\\') {
    if (i + 1 >= src.length) return null;
    const e = src.charCodeAt(i + 1);
    if (isAsciiPunctuation(e)) return { next: i + 2, item: { kind: 'literal', char: src[i + 1] as string } };
    if (SIMPLE_ESCAPES.has(src[i + 1] as string)) return { next: i + 2, item: OPAQUE };
    return null;
  }
  if (c === '.') {
    if (src[i + 1] === '*') return { next: src[i + 2] === '?' ? i + 3 : i + 2, item: GAP };
    return { next: i + 1, item: OPAQUE };
  }
  if (c === '[') {
    const next = skipCharClass(src, i);
    return next < 0 ? null : { next, item: OPAQUE };
  }
  if (c === '(') {
    if (src[i + 1] === '?' && !PLAIN_GROUP.test(src.slice(i, i + 4))) return null;
    const next = skipGroup(src, i);
    return next < 0 ? null : { next, item: OPAQUE };
  }
  if (c === '^' || c === '$' || c === ']') return { next: i + 1, item: OPAQUE };
  if (SPECIAL.has(c)) return null;
  if (code >= 0x20 && code < 0x7f) return { next: i + 1, item: { kind: 'literal', char: c } };
  const wide = code >= 0xd800 && code <= 0xdbff && i + 1 < src.length ? 2 : 1;
  return { next: i + wide, item: OPAQUE };
}

/** The top-level items of `src`, or null when the analysis gives up. */
function topLevelItems(src: string): Item[] | null {
  const items: Item[] = [];
  let i = 0;
  while (i < src.length) {
    const atom = readAtom(src, i);
    if (atom === null) return null;
    i = atom.next;
    let item = atom.item;
    const q = src[i];
    if (q === '{') return null;
    if (q === '*' || q === '+' || q === '?') {
      if (item.kind === 'gap') return null;
      i++;
      if (src[i] === '?') i++;
      const again = src[i];
      if (again === '*' || again === '+' || again === '?' || again === '{') return null;
      item = q === '?' && item.kind === 'literal' ? { kind: 'optional', char: item.char } : OPAQUE;
    }
    items.push(item);
  }
  return items;
}

/** The literal runs of `items`, split at every non-literal item. */
function literalRuns(items: readonly Item[]): string[] {
  const runs: string[] = [];
  let run = '';
  for (const item of items) {
    if (item.kind === 'literal') {
      run += item.char;
    } else {
      runs.push(run);
      run = '';
    }
  }
  runs.push(run);
  return runs;
}

/**
 * Analyses a pattern that RE2 already accepted (see `PatternShape`).
 *
 * @example
 * analysePattern('.*\/rest/api/space.*') // { kind: 'glob', segments: ['', '/rest/api/space', ''], optionalLast: null }
 * analysePattern('.*\/rest/api/content/?') // { kind: 'glob', segments: ['', '/rest/api/content'], optionalLast: '/' }
 * analysePattern('.*\/rest/api/(space|content)') // { kind: 'other', prefix: '', suffix: '', required: ['/rest/api/'] }
 */
export function analysePattern(src: string): PatternShape {
  const items = topLevelItems(src);
  if (items === null) return UNKNOWN;
  const last = items[items.length - 1];
  const body = last?.kind === 'optional' ? items.slice(0, -1) : items;
  if (body.every((item) => item.kind === 'literal' || item.kind === 'gap')) {
    return { kind: 'glob', segments: literalRuns(body), optionalLast: last?.kind === 'optional' ? last.char : null };
  }
  const runs = literalRuns(items);
  const first = items[0];
  return {
    kind: 'other',
    prefix: first?.kind === 'literal' ? (runs[0] as string) : '',
    suffix: last?.kind === 'literal' ? (runs[runs.length - 1] as string) : '',
    required: runs.filter((run) => run.length > 0),
  };
}
