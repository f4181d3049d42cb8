/**
 * Strict RFC 8259 JSON: what `JSON.parse` accepts, minus duplicate object keys (at any depth, also
 * keys that differ only in letter case), a leading byte-order mark, nesting deeper than
 * `MAX_JSON_DEPTH` and documents of more than `MAX_JSON_NODES` values or `MAX_JSON_CONTAINERS`
 * arrays and objects. Values are built like `JSON.parse` builds them (plain objects and arrays),
 * except that a `"__proto__"` key becomes an ordinary own property and never touches a prototype.
 * Numbers whose source text is not JavaScript's text of the number (`1e2`, `1.0`,
 * `9007199254740993`) keep their source text in `numberText`, so that rules match what an
 * upstream reads, not a rounded double.
 */

/**
 * The source text of the numbers whose text JavaScript would write differently: container →
 * key (object) or index (array) → the number as written. Numbers not in it are written as `String(value)`.
 */
export type JsonNumberText = WeakMap<object, Map<string | number, string>>;

export type StrictJsonResult =
  | { readonly ok: true; readonly value: unknown; readonly numberText: JsonNumberText | null }
  | { readonly ok: false; readonly message: string };

/** Deepest nesting of arrays and objects accepted; deeper input is refused, never a stack overflow. */
export const MAX_JSON_DEPTH = 512;
/**
 * Most values (scalars, arrays, objects) in one document, and most arrays and objects: bound the
 * work one body costs on the event loop (a 1 MiB body of nested arrays took 242 ms before).
 */
export const MAX_JSON_NODES = 100_000;
export const MAX_JSON_CONTAINERS = 20_000;

/**
 * A key as case-insensitive mappers may read it: upper- then lower-cased, so that `type`,
 * `TYPE`, and spellings such as `ſ`/`s` or `K` (Kelvin)/`k` that Java's equalsIgnoreCase
 * equates, fold to one key.
 */
function foldedKey(key: string): string {
  return key.toUpperCase().toLowerCase();
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** Raw characters a JSON string may not hold (searched from `lastIndex`). */
const CONTROL = /[\u0000-\u001f]/g;
/** Strings at least this long take the fast path (shorter ones: one loop is cheaper than three searches). */
const LONG_STRING = 64;

/** Internal: thrown inside the parser, turned into `{ ok: false }` at the top. */
class JsonRefusal {
  constructor(readonly message: string) {}
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** `a.b[2]["odd key"]`, or `the top level` for the root. */
function describePath(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'the top level';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part.length > 64 ? `${part.slice(0, 64)}…` : part)}]`;
  }
  return out;
}

class Parser {
  private pos = 0;
  private nodes = 0;
  private containers = 0;
  /** The source text of the number parsed last. */
  private numberSource = '';
  numberText: JsonNumberText | null = null;
  /** Keys and indexes from the root to the value being parsed; read only to name a duplicate's place. */
  private readonly path: (string | number)[] = [];

  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    this.skipWhitespace();
    const value = this.parseValue(0);
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail(`unexpected data after the JSON value at position ${this.pos}`);
    return value;
  }

  private fail(message: string): never {
    throw new JsonRefusal(message);
  }

  private unexpected(): never {
    if (this.pos >= this.text.length) this.fail('unexpected end of JSON text');
    const char = this.text[this.pos] ?? '';
    this.fail(`unexpected character ${JSON.stringify(char)} at position ${this.pos}`);
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
    this.pos = pos;
  }

  private parseValue(depth: number): unknown {
    if (++this.nodes > MAX_JSON_NODES) this.fail(`JSON with more than ${MAX_JSON_NODES} values is not accepted`);
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case OPEN_BRACE:
        return this.parseObject(depth + 1);
      case OPEN_BRACKET:
        return this.parseArray(depth + 1);
      case QUOTE:
        return this.parseString();
      case 0x74: // t
        return this.parseLiteral('true', true);
      case 0x66: // f
        return this.parseLiteral('false', false);
      case 0x6e: // n
        return this.parseLiteral('null', null);
      default:
        if (c === MINUS || isDigit(c)) return this.parseNumber();
        return this.unexpected();
    }
  }

  private parseLiteral<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.unexpected();
    this.pos += word.length;
    return value;
  }

  private checkDepth(depth: number): void {
    if (depth > MAX_JSON_DEPTH) this.fail(`JSON nested deeper than ${MAX_JSON_DEPTH} levels is not accepted`);
    if (++this.containers > MAX_JSON_CONTAINERS) {
      this.fail(`JSON with more than ${MAX_JSON_CONTAINERS} arrays and objects is not accepted`);
    }
  }

  /** Keeps the source text of the number just parsed when JavaScript would write it otherwise. */
  private noteNumber(container: object, key: string | number, value: number): void {
    const source = this.numberSource;
    if (String(value) === source) return;
    this.numberText ??= new WeakMap();
    let texts = this.numberText.get(container);
    if (texts === undefined) {
      texts = new Map();
      this.numberText.set(container, texts);
    }
    texts.set(key, source);
  }

  private parseObject(depth: number): Record<string, unknown> {
    this.checkDepth(depth);
    this.pos++; // {
    const object: Record<string, unknown> = {};
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACE) {
      this.pos++;
      return object;
    }
    /** Folded keys seen so far (from the second key on). */
    let folded: Set<string> | null = null;
    let firstKey: string | null = null;
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== QUOTE) this.unexpected();
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== COLON) this.unexpected();
      this.pos++;
      this.skipWhitespace();
      if (Object.hasOwn(object, key)) {
        const shownKey = JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);
        this.fail(`duplicate key ${shownKey} in the object at ${describePath(this.path)}`);
      }
      if (firstKey === null) {
        firstKey = key;
      } else {
        if (folded === null) folded = new Set([foldedKey(firstKey)]);
        const fold = foldedKey(key);
        if (folded.has(fold)) {
          const shownKey = JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);
          this.fail(
            `key ${shownKey} differs from another key of the object at ${describePath(this.path)} only in letter case (case-insensitive readers see one key twice)`,
          );
        }
        folded.add(fold);
      }
      this.path.push(key);
      const value = this.parseValue(depth);
      this.path.pop();
      if (typeof value === 'number') this.noteNumber(object, key, value);
      if (key === '__proto__') {
        Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
      } else {
        object[key] = value;
      }
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      if (c === COMMA) {
        this.pos++;
        this.skipWhitespace();
      } else if (c === CLOSE_BRACE) {
        this.pos++;
        return object;
      } else {
        this.unexpected();
      }
    }
  }

  private parseArray(depth: number): unknown[] {
    this.checkDepth(depth);
    this.pos++; // [
    const array: unknown[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) {
      this.pos++;
      return array;
    }
    for (;;) {
      const index = array.length;
      this.path.push(index);
      const value = this.parseValue(depth);
      array.push(value);
      this.path.pop();
      if (typeof value === 'number') this.noteNumber(array, index, value);
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      if (c === COMMA) {
        this.pos++;
        this.skipWhitespace();
      } else if (c === CLOSE_BRACKET) {
        this.pos++;
        return array;
      } else {
        this.unexpected();
      }
    }
  }

  /**
   * Where the next backslash / raw control character (U+0000–U+001F) at or after some position
   * is (`text.length` when there is none): found once with a native search and reused until the
   * parser has passed it, so long strings are not scanned one character at a time in JavaScript.
   * Every character is searched at most once by each, so a document costs linear time.
   */
  private backslashAt = -1;
  private controlAt = -1;

  private nextBackslash(from: number): number {
    if (this.backslashAt < from) {
      const at = this.text.indexOf('\\', from);
      this.backslashAt = at < 0 ? this.text.length : at;
    }
    return this.backslashAt;
  }

  private nextControl(from: number): number {
    if (this.controlAt < from) {
      CONTROL.lastIndex = from;
      const found = CONTROL.exec(this.text);
      this.controlAt = found === null ? this.text.length : found.index;
    }
    return this.controlAt;
  }

  private parseString(): string {
    const text = this.text;
    const n = text.length;
    let i = this.pos + 1; // after the opening quote
    // Fast path for long strings: the closing quote, with no escape and no control character before it.
    const quote = text.indexOf('"', i);
    if (quote - i >= LONG_STRING && this.nextBackslash(i) > quote && this.nextControl(i) > quote) {
      this.pos = quote + 1;
      return text.slice(i, quote);
    }
    let start = i;
    let out = '';
    for (;;) {
      if (i >= n) this.fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        return out + text.slice(start, i);
      }
      if (c === BACKSLASH) {
        out += text.slice(start, i);
        const e = text[i + 1] ?? '';
        if (e === 'u') {
          let code = 0;
          for (let k = 2; k < 6; k++) {
            const h = hexValue(text.charCodeAt(i + k));
            if (h < 0) {
              this.pos = i;
              this.fail(`invalid \\u escape at position ${i}`);
            }
            code = code * 16 + h;
          }
          out += String.fromCharCode(code);
          i += 6;
        } else {
          const decoded = SIMPLE_ESCAPES[e];
          if (decoded === undefined) this.fail(`invalid escape at position ${i}`);
          out += decoded;
          i += 2;
        }
        start = i;
      } else if (c < 0x20) {
        this.fail(`unescaped control character in a string at position ${i}`);
      } else {
        i++;
      }
    }
  }

  private parseNumber(): number {
    const text = this.text;
    const start = this.pos;
    let i = start;
    if (text.charCodeAt(i) === MINUS) i++;
    const first = text.charCodeAt(i);
    if (first === ZERO) i++;
    else if (isDigit(first)) while (isDigit(text.charCodeAt(i))) i++;
    else {
      this.pos = i;
      this.unexpected();
    }
    if (text.charCodeAt(i) === DOT) {
      i++;
      if (!isDigit(text.charCodeAt(i))) {
        this.pos = i;
        this.unexpected();
      }
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === PLUS || sign === MINUS) i++;
      if (!isDigit(text.charCodeAt(i))) {
        this.pos = i;
        this.unexpected();
      }
      while (isDigit(text.charCodeAt(i))) i++;
    }
    this.pos = i;
    const source = text.slice(start, i);
    this.numberSource = source;
    return Number(source);
  }
}

/**
 * Parses JSON text strictly: refuses a byte-order mark, duplicate keys at any depth (naming the
 * key and where it is), trailing data, invalid syntax and nesting deeper than 512 levels. On any
 * other input it agrees with `JSON.parse`. Never throws.
 *
 * @example
 * parseStrictJson('{"type":"page"}')                  // { ok: true, value: { type: 'page' } }
 * parseStrictJson('{"space":{"key":"A","key":"B"}}')  // { ok: false, message: 'duplicate key "key" in the object at space' }
 */
export function parseStrictJson(text: string): StrictJsonResult {
  if (text.charCodeAt(0) === 0xfeff) {
    return { ok: false, message: 'a byte-order mark (U+FEFF) before the JSON text is not accepted' };
  }
  if (text.length === 0) return { ok: false, message: 'empty JSON text' };
  try {
    const parser = new Parser(text);
    const value = parser.parseDocument();
    return { ok: true, value, numberText: parser.numberText };
  } catch (err) {
    if (err instanceof JsonRefusal) return { ok: false, message: err.message };
    throw err;
  }
}
