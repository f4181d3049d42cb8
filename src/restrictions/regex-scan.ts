/**
 * Bracket-aware scanning of RE2 regex text, shared by the line parser (where does a part's regex
 * end?) and the pattern analysis (which parts of a pattern are plain literals?).
 */

const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const CARET = 0x5e;
const COLON = 0x3a;

/**
 * Index just after the `]` that closes the character class opening at `open` (`src[open]` is `[`),
 * or -1 when the class is not closed. Follows RE2: a `]` right after `[` or `[^` is literal,
 * `\x` escapes one character, and `[:name:]` is a POSIX class inside the class.
 *
 * @example
 * skipCharClass('[]a]b', 0) // 4
 * skipCharClass('[[:alpha:]]x', 0) // 11
 */
export function skipCharClass(src: string, open: number): number {
  const n = src.length;
  // Once no `:]` follows, none follows later either: stop looking (keeps this linear).
  let posixEndAhead = true;
  let i = open + 1;
  if (src.charCodeAt(i) === CARET) i++;
  if (src.charCodeAt(i) === CLOSE_BRACKET) i++;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === BACKSLASH) {
      i += 2;
    } else if (posixEndAhead && c === OPEN_BRACKET && src.charCodeAt(i + 1) === COLON) {
      const close = src.indexOf(':]', i + 2);
      posixEndAhead = close >= 0;
      i = close < 0 ? i + 1 : close + 2;
    } else if (c === CLOSE_BRACKET) {
      return i + 1;
    } else {
      i++;
    }
  }
  return -1;
}
