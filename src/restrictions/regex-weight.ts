import { skipCharClass } from './regex-scan.js';

/**
 * A rough measure of how long RE2 takes to compile a pattern, computed **before** compiling it
 * (a few characters such as `\pL{300}` take RE2 over a second to compile). One unit is about one
 * ASCII atom (~0.4 µs for the two compiles `compileFullMatcher` does); each atom counts once per
 * copy that counted repetition makes (`x{n,m}` copies x m times).
 */

/** An atom that matches one ASCII character, a literal, an ASCII class. */
const ASCII_ATOM = 1;
/** `.`, `\C`, a negated class or escape: UTF-8 ranges make them about ten times larger. */
const WIDE_ATOM = 10;
/** A Unicode property class (`\pL`, `\p{Greek}`, a class containing one): thousands of ranges. */
const UNICODE_PROPERTY_ATOM = 2_500;
/** Past this the count stops growing (keeps the arithmetic small). */
const CAP = 1e12;

const COUNTED_REPETITION = /\{(\d{1,7})(,(\d{0,7}))?\}/y;

class WeightScanner {
  private i = 0;

  constructor(private readonly src: string) {}

  total(): number {
    let total = 0;
    while (this.i < this.src.length) {
      total = Math.min(CAP, total + this.alternation());
      if (this.i < this.src.length) this.i++; // a stray `)`: skip it
    }
    return total;
  }

  private alternation(): number {
    let total = this.sequence();
    while (this.src[this.i] === '|') {
      this.i++;
      total = Math.min(CAP, total + this.sequence());
    }
    return total;
  }

  private sequence(): number {
    let total = 0;
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      total = Math.min(CAP, total + atom * this.repetition());
    }
    return total;
  }

  private atom(): number {
    const src = this.src;
    const c = src[this.i];
    if (c === '(') return this.group();
    if (c === '[') {
      const end = skipCharClass(src, this.i);
      const content = src.slice(this.i, end < 0 ? src.length : end);
      this.i = end < 0 ? src.length : end;
      if (/\\[pP]/.test(content)) return UNICODE_PROPERTY_ATOM;
      return content.startsWith('[^') ? WIDE_ATOM : ASCII_ATOM;
    }
    if (c === '\\') return this.escape();
    this.i += src.charCodeAt(this.i) >= 0xd800 && src.charCodeAt(this.i) <= 0xdbff ? 2 : 1;
    return c === '.' ? WIDE_ATOM : ASCII_ATOM;
  }

  private escape(): number {
    const src = this.src;
    const kind = src[this.i + 1];
    this.i += 2;
    if (kind === 'p' || kind === 'P' || kind === 'x' || kind === 'u') {
      if (src[this.i] === '{') {
        const close = src.indexOf('}', this.i);
        this.i = close < 0 ? src.length : close + 1;
      } else if (kind === 'p' || kind === 'P') {
        this.i++;
      }
    }
    if (kind === 'p' || kind === 'P') return UNICODE_PROPERTY_ATOM;
    return kind === 'C' || kind === 'D' || kind === 'W' || kind === 'S' ? WIDE_ATOM : ASCII_ATOM;
  }

  private group(): number {
    const src = this.src;
    this.i++;
    if (src[this.i] === '?') {
      this.i++;
      if (src[this.i] === 'P' || src[this.i] === '<') {
        const close = src.indexOf('>', this.i);
        this.i = close < 0 ? src.length : close + 1;
      } else {
        while (this.i < src.length && src[this.i] !== ':' && src[this.i] !== ')') this.i++;
        if (src[this.i] === ')') {
          this.i++;
          return 0; // (?flags): sets flags, matches nothing
        }
        this.i++;
      }
    }
    const inside = this.alternation();
    if (src[this.i] === ')') this.i++;
    return inside;
  }

  /** How many copies the quantifiers after an atom make of it. */
  private repetition(): number {
    const src = this.src;
    let copies = 1;
    for (;;) {
      const c = src[this.i];
      if (c === '*' || c === '+' || c === '?') {
        this.i++;
        if (src[this.i] === '?') this.i++;
        continue;
      }
      if (c !== '{') return copies;
      COUNTED_REPETITION.lastIndex = this.i;
      const counted = COUNTED_REPETITION.exec(src);
      if (counted === null) return copies; // a literal `{`
      const min = Number(counted[1]);
      const max = counted[2] === undefined ? min : counted[3] === '' ? min + 1 : Number(counted[3]);
      copies = Math.min(CAP, copies * Math.max(1, max));
      this.i += counted[0].length;
      if (src[this.i] === '?') this.i++;
    }
  }
}

/**
 * The compile weight of a pattern (see above). Any text is accepted (also invalid syntax, which
 * RE2 then refuses); the scan is linear and never throws.
 *
 * @example
 * regexWeight('.*\/rest/api/space.*') // 35
 * regexWeight('\\pL{300}')             // 750000
 */
export function regexWeight(src: string): number {
  return new WeightScanner(src).total();
}
