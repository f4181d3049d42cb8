import { analysePattern } from './pattern-shape.js';

/**
 * Example strings for an RE2 pattern, for code snippets that must run as shown: the shortest
 * text the pattern describes (every repeat at its minimum, the first alternative of each `|`)
 * and one with every `*` taken once (for `/rest/api/.*\/child`, where the shortest has `//`).
 *
 * These are candidates, not proofs: the caller tests each one with the real matcher and keeps
 * the first that matches. Whatever the walk does not understand (flags such as `(?i)`, a class
 * with no printable ASCII character, a pattern that does not parse) gives no candidate.
 */

/** Characters tried first where a class or `.` leaves the choice open: safe in a URL path and a query. */
const PREFERRED = 'a1A-_.~';
const PRINTABLE = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
const CHOICES = PREFERRED + PRINTABLE;

type CharTest = (c: string) => boolean;

const isDigit: CharTest = (c) => c >= '0' && c <= '9';
const isWord: CharTest = (c) => isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isSpace: CharTest = (c) => c === ' ' || (c >= '\t' && c <= '\r');
const POSIX: Readonly<Record<string, CharTest>> = {
  alpha: (c) => /[A-Za-z]/.test(c),
  digit: isDigit,
  alnum: (c) => /[A-Za-z0-9]/.test(c),
  word: isWord,
  upper: (c) => c >= 'A' && c <= 'Z',
  lower: (c) => c >= 'a' && c <= 'z',
  space: isSpace,
  xdigit: (c) => /[0-9A-Fa-f]/.test(c),
  punct: (c) => /[!-/:-@[-`{-~]/.test(c),
};
const CLASS_ESCAPES: Readonly<Record<string, CharTest>> = {
  d: isDigit,
  D: (c) => !isDigit(c),
  w: isWord,
  W: (c) => !isWord(c),
  s: isSpace,
  S: (c) => !isSpace(c),
};
const CONTROL_ESCAPES: Readonly<Record<string, string>> = { t: '\t', r: '\r', n: '\n', f: '\f', v: '\v', a: '\x07' };
/** Escapes that assert something and stand for no text. */
const ASSERTIONS = new Set(['b', 'B', 'A', 'z']);

class GiveUp extends Error {}

function pick(test: CharTest): string {
  for (const c of CHOICES) if (test(c)) return c;
  throw new GiveUp();
}

/** A recursive walk over the pattern that writes one example as it goes. */
class ExampleWriter {
  #i = 0;
  constructor(
    private readonly src: string,
    /** How many times `*` repeats (0: shortest; 1: once). */
    private readonly starCount: number,
  ) {}

  run(): string {
    const text = this.#alternation();
    if (this.#i !== this.src.length) throw new GiveUp();
    return text;
  }

  #peek(): string | undefined {
    return this.src[this.#i];
  }

  #alternation(): string {
    const first = this.#concatenation();
    while (this.#peek() === '|') {
      this.#i++;
      this.#concatenation(); // read, not used: the first alternative is the example
    }
    return first;
  }

  #concatenation(): string {
    let text = '';
    for (let c = this.#peek(); c !== undefined && c !== '|' && c !== ')'; c = this.#peek()) {
      text += this.#repeat();
    }
    return text;
  }

  #repeat(): string {
    const atom = this.#atom();
    const q = this.#peek();
    let count = 1;
    if (q === '*' || q === '+' || q === '?') {
      this.#i++;
      count = q === '*' ? this.starCount : q === '+' ? 1 : 0;
    } else if (q === '{') {
      const brace = /^\{(\d+)(,\d*)?\}/.exec(this.src.slice(this.#i));
      if (brace === null) return atom; // a literal `{`, as RE2 reads it
      this.#i += brace[0].length;
      count = Number(brace[1]);
    } else {
      return atom;
    }
    if (this.#peek() === '?') this.#i++; // lazy: same text
    return atom.repeat(count);
  }

  #atom(): string {
    const c = this.src[this.#i++];
    switch (c) {
      case '(':
        return this.#group();
      case '[':
        return pick(this.#charClass());
      case '.':
        return pick((ch) => ch !== '\n');
      case '^':
      case '$':
        return '';
      case '\\':
        return this.#escape(false);
      case undefined:
      case '*':
      case '+':
      case '?':
      case ')':
        throw new GiveUp();
      default:
        return c;
    }
  }

  #group(): string {
    if (this.#peek() === '?') {
      const opener = /^\?(:|P?<[A-Za-z_][A-Za-z0-9_]*>)/.exec(this.src.slice(this.#i));
      if (opener === null) throw new GiveUp(); // flags change what matches: not walked
      this.#i += opener[0].length;
    }
    const text = this.#alternation();
    if (this.src[this.#i++] !== ')') throw new GiveUp();
    return text;
  }

  /** After a backslash: the text it stands for (outside a class) or, inside one, a one-character string. */
  #escape(inClass: boolean): string {
    const e = this.src[this.#i++];
    if (e === undefined) throw new GiveUp();
    const classTest = CLASS_ESCAPES[e];
    if (classTest !== undefined) return pick(classTest);
    const control = CONTROL_ESCAPES[e];
    if (control !== undefined) return control;
    if (!inClass && ASSERTIONS.has(e)) return '';
    if (e === 'x') {
      const hex = /^(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(this.src.slice(this.#i));
      if (hex === null) throw new GiveUp();
      this.#i += hex[0].length;
      return String.fromCodePoint(Number.parseInt(hex[1] ?? hex[2] ?? '', 16));
    }
    if (/[A-Za-z0-9]/.test(e)) throw new GiveUp(); // \p{…}, \C, back references…: not walked
    return e;
  }

  /** The membership test of the class whose `[` was just read. */
  #charClass(): CharTest {
    const negated = this.#peek() === '^';
    if (negated) this.#i++;
    const tests: CharTest[] = [];
    let first = true;
    for (;;) {
      const c = this.src[this.#i];
      if (c === undefined) throw new GiveUp();
      if (c === ']' && !first) {
        this.#i++;
        break;
      }
      first = false;
      if (c === '[' && this.src[this.#i + 1] === ':') {
        const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.#i));
        const test = posix === null ? undefined : POSIX[posix[2] ?? ''];
        if (posix === null || test === undefined) throw new GiveUp();
        this.#i += posix[0].length;
        tests.push(posix[1] === '^' ? (ch) => !test(ch) : test);
        continue;
      }
      this.#i++;
      let low = c;
      if (c === '\\') {
        const e = this.src[this.#i];
        const classTest = e === undefined ? undefined : CLASS_ESCAPES[e];
        if (classTest !== undefined) {
          this.#i++;
          tests.push(classTest);
          continue;
        }
        low = this.#escape(true);
      }
      if (this.src[this.#i] === '-' && this.src[this.#i + 1] !== ']' && this.src[this.#i + 1] !== undefined) {
        this.#i++;
        let high = this.src[this.#i++] as string;
        if (high === '\\') high = this.#escape(true);
        tests.push((ch) => ch >= low && ch <= high);
      } else {
        tests.push((ch) => ch === low);
      }
    }
    const inside: CharTest = (ch) => tests.some((test) => test(ch));
    return negated ? (ch) => ch !== '\n' && !inside(ch) : inside;
  }
}

/**
 * Candidate examples for a pattern, best first, without duplicates (maybe none).
 *
 * @example
 * patternExamples('.*\/rest/api/space.*') // ['/rest/api/space', 'a/rest/api/spacea']
 * patternExamples('/rest/api/content/\\d+') // ['/rest/api/content/1']
 * patternExamples('(?i)/rest/.*') // []
 */
export function patternExamples(src: string): string[] {
  const candidates: string[] = [];
  const shape = analysePattern(src);
  // A glob (literals and `.*`) needs no walk: its literals in order, the gaps empty.
  if (shape.kind === 'glob') candidates.push(shape.segments.join(''));
  for (const starCount of [0, 1]) {
    try {
      candidates.push(new ExampleWriter(src, starCount).run());
    } catch (err) {
      if (!(err instanceof GiveUp)) throw err;
    }
  }
  return [...new Set(candidates)];
}
