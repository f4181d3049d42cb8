/**
 * Text hygiene for audit records: visible escapes for control characters, truncation,
 * query-string redaction, scrubbing of a known secret and of anything shaped like a tokengate
 * token. Pure functions, no I/O; every regular expression is compiled once at module load (these
 * run on the hot path).
 */
import { quote } from '../restrictions/quote.js';
import { hasValidChecksum, SECRET_PREFIX } from '../tokens/secret.js';

/** What replaces a redacted value or a scrubbed secret. */
export const REDACTED = '[REDACTED]';

/** Query parameter names whose values are always redacted (compared lower-case, decoded). */
export const ALWAYS_REDACTED_PARAMS: readonly string[] = Object.freeze([
  'os_password',
  'password',
  'token',
  'access_token',
  'api_key',
  'secret',
]);

/**
 * Characters that must never reach a record unescaped:
 * - the backslash (escaped as `\\` so the escaping is reversible);
 * - C0 controls U+0000–U+001F, DEL U+007F and C1 controls U+0080–U+009F (CR, LF, NEL, ESC…);
 * - U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR (line breaks for JavaScript and some viewers);
 * - bidirectional embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069 (they can make a
 *   line display in a different order than it reads — "Trojan Source");
 * - lone UTF-16 surrogates (they would otherwise be silently replaced when encoded as UTF-8).
 */
const NEEDS_ESCAPE =
  /[\\\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const NEEDS_ESCAPE_TEST = new RegExp(NEEDS_ESCAPE.source);

function escapeOne(ch: string): string {
  if (ch === '\\') return '\\\\';
  const code = ch.charCodeAt(0);
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Makes every control character visible so a value can never start a new line, move the cursor
 * or reorder text in any export or terminal: `\xHH` for U+0000–U+00FF, `\uHHHH` above, and
 * `\\` for the backslash itself, so {@link unescapeControl} restores the original exactly.
 *
 * @example
 * escapeControl('curl/8\r\nX-Forged: 1'); // 'curl/8\\x0d\\x0aX-Forged: 1'
 * escapeControl('C:\\temp');              // 'C:\\\\temp'
 */
export function escapeControl(s: string): string {
  if (!NEEDS_ESCAPE_TEST.test(s)) return s;
  return s.replace(NEEDS_ESCAPE, escapeOne);
}

const ESCAPE_SEQUENCE = /\\(?:\\|x([0-9a-f]{2})|u([0-9a-f]{4}))/g;

/**
 * The inverse of {@link escapeControl}.
 *
 * @example
 * unescapeControl('a\\x0ab'); // 'a\nb'
 */
export function unescapeControl(s: string): string {
  return s.replace(ESCAPE_SEQUENCE, (_whole: string, hex2: string | undefined, hex4: string | undefined) => {
    const hex = hex2 ?? hex4;
    return hex === undefined ? '\\' : String.fromCharCode(Number.parseInt(hex, 16));
  });
}

/** Appended to a value that was cut. */
export const ELLIPSIS = '…';

/**
 * At most `n` UTF-16 code units of `s`; a cut value ends with `…` (counted in `n`) and never
 * splits a surrogate pair, nor (when `s` comes from {@link escapeControl}) an escape sequence.
 *
 * @example
 * truncate('abcdef', 4); // 'abc…'
 * truncate('abc', 4);    // 'abc'
 */
export function truncate(s: string, n: number): string {
  if (s.length <= n) return s;
  if (n <= 0) return '';
  let end = n - ELLIPSIS.length;
  // never split a surrogate pair
  if (end > 0 && isHighSurrogate(s.charCodeAt(end - 1))) end -= 1;
  end = escapeBoundary(s, end);
  return s.slice(0, end) + ELLIPSIS;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Moves `end` back so that `s.slice(0, end)` does not end inside an escape sequence produced by
 * `escapeControl` (`\\`, `\xHH`, `\uHHHH`). Backslashes are always paired or start a sequence,
 * so scanning the last few characters with backslash parity is enough.
 */
function escapeBoundary(s: string, end: number): number {
  const from = Math.max(0, end - 5);
  for (let i = end - 1; i >= from; i--) {
    if (s.charCodeAt(i) !== 0x5c) continue;
    // count the run of backslashes ending at i
    let start = i;
    while (start > 0 && s.charCodeAt(start - 1) === 0x5c) start--;
    const run = i - start + 1;
    if (run % 2 === 0) return end; // `\\` pairs only: complete
    // odd run: the last backslash of the run starts a sequence at i
    const next = s[i + 1];
    const length = next === 'x' ? 4 : next === 'u' ? 6 : 2;
    return i + length <= end ? end : i;
  }
  return end;
}

/** `%XX` escapes decoded to bytes, everything else UTF-8; lenient (a lone `%` stays as it is). */
function percentDecodeBytes(s: string): { bytes: Buffer; rawIndex: number[] } {
  const bytes: number[] = [];
  /** For each decoded byte, the index of the raw character it came from. */
  const rawIndex: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 0x25 && i + 2 < s.length && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      bytes.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      rawIndex.push(i);
      i += 2;
      continue;
    }
    if (ch < 0x80) {
      bytes.push(ch);
      rawIndex.push(i);
      continue;
    }
    const cp = s.codePointAt(i) ?? ch;
    const encoded = Buffer.from(String.fromCodePoint(cp), 'utf8');
    for (const b of encoded) {
      bytes.push(b);
      rawIndex.push(i);
    }
    if (cp > 0xffff) i++;
  }
  return { bytes: Buffer.from(bytes), rawIndex };
}

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** Length of the raw text a decoded byte at `rawIndex` came from (`%XX` = 3, astral = 2, else 1). */
function rawLengthAt(s: string, at: number): number {
  if (s.charCodeAt(at) === 0x25 && isHex(s.charCodeAt(at + 1)) && isHex(s.charCodeAt(at + 2))) return 3;
  const cp = s.codePointAt(at) ?? 0;
  return cp > 0xffff ? 2 : 1;
}

/** Decodes `%XX` escapes (and `+` as a space when `plusIsSpace`) leniently, as UTF-8 text. */
export function percentDecode(s: string, plusIsSpace = false): string {
  const text = plusIsSpace ? s.replaceAll('+', ' ') : s;
  if (!text.includes('%')) return text;
  return percentDecodeBytes(text).bytes.toString('utf8');
}

/**
 * Secrets shorter than this are not scrubbed: no token is that short (tokens have at least 16
 * characters), and scrubbing a two-letter "credential" would erase most of a record.
 */
export const MIN_SCRUBBED_SECRET_LENGTH = 4;

/** Below this length the base64 forms are too short to be told apart from ordinary text. */
const MIN_BASE64_SECRET_LENGTH = 12;

/**
 * The text that appears in any base64 (and base64url) encoding of a byte string containing
 * `secret`, for each of the three possible alignments of the secret in that string.
 */
function base64Cores(secret: string): string[] {
  // ASCII (every generated token): btoa of the text is the base64 of its UTF-8 bytes, and cheaper
  const ascii = ASCII_ONLY.test(secret);
  const bytes = ascii ? null : Buffer.from(secret, 'utf8');
  const length = bytes === null ? secret.length : bytes.length;
  const cores: string[] = [];
  for (let skip = 0; skip < 3; skip++) {
    const whole = Math.floor((length - skip) / 3) * 3;
    if (whole < 9) continue;
    const core =
      bytes === null ? btoa(secret.slice(skip, skip + whole)) : bytes.subarray(skip, skip + whole).toString('base64');
    cores.push(core);
    if (core.includes('+') || core.includes('/')) cores.push(core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return cores;
}

const ASCII_ONLY = /^[\u0000-\u007f]*$/;

/** Precomputed forms of one secret; build once per call with {@link secretForms}. */
export interface SecretForms {
  readonly secret: string;
  /** Literal forms searched as they are: the base64 cores, the secret, its escaped form. */
  readonly literals: readonly string[];
}

/**
 * The forms of `secret` that {@link redactSecret} looks for; `null` when the secret is too short
 * to be scrubbed (see {@link MIN_SCRUBBED_SECRET_LENGTH}).
 *
 * @example
 * const forms = secretForms('tgp_abcdefghijklmnopqrstuvwxyz');
 * redactSecret('ua tgp_abcdefghijklmnopqrstuvwxyz', forms); // 'ua [REDACTED]'
 */
export function secretForms(secret: string | null | undefined): SecretForms | null {
  if (secret == null || secret.length < MIN_SCRUBBED_SECRET_LENGTH) return null;
  // the base64 forms first: they are longer than the secret and could contain it
  const literals = secret.length >= MIN_BASE64_SECRET_LENGTH ? base64Cores(secret) : [];
  literals.push(secret);
  const escaped = escapeControl(secret);
  if (escaped !== secret) literals.push(escaped);
  return { secret, literals };
}

/**
 * Removes every occurrence of a known secret from `text`, replacing it with `[REDACTED]`. Found:
 * - the secret as it is, and as `escapeControl` would write it;
 * - the secret percent-encoded in any way (`%74gp_…`, wholly or partly encoded, either hex case);
 * - the secret inside base64 or base64url text (e.g. a copied `Basic` header), at any alignment
 *   (for secrets of 12 characters or more).
 *
 * It is the last line of defence: the record builder applies it to every string field.
 *
 * @example
 * redactSecret('GET /x?t=tgp_%41bcdefghijklmnop', 'tgp_Abcdefghijklmnop'); // 'GET /x?t=[REDACTED]'
 */
export function redactSecret(text: string, secret: string | SecretForms | null | undefined): string {
  const forms = typeof secret === 'string' ? secretForms(secret) : (secret ?? null);
  if (forms === null || text.length === 0) return text;
  let out = text;
  for (const literal of forms.literals) {
    if (out.includes(literal)) out = out.split(literal).join(REDACTED);
  }
  if (out.includes('%')) out = redactEncoded(out, Buffer.from(forms.secret, 'utf8'));
  return out;
}

/** Replaces every raw range of `text` whose percent-decoded bytes are the secret's bytes. */
function redactEncoded(text: string, secret: Buffer): string {
  const { bytes, rawIndex } = percentDecodeBytes(text);
  let at = bytes.indexOf(secret);
  if (at < 0) return text;
  let out = '';
  let copied = 0;
  while (at >= 0) {
    const rawStart = rawIndex[at] ?? 0;
    const lastByte = at + secret.length - 1;
    const lastRaw = rawIndex[lastByte] ?? rawStart;
    const rawEnd = lastRaw + rawLengthAt(text, lastRaw);
    if (rawStart >= copied) {
      out += text.slice(copied, rawStart) + REDACTED;
      copied = rawEnd;
    }
    at = bytes.indexOf(secret, at + secret.length);
  }
  return out + text.slice(copied);
}

/** Query names compared for redaction: decoded, lower-case, without a trailing `[…]` (PHP arrays). */
function normalizeParamName(rawName: string): string {
  const plain = !rawName.includes('%') && !rawName.includes('+');
  const name = (plain ? rawName : percentDecode(rawName, true)).toLowerCase();
  const bracket = name.indexOf('[');
  return bracket > 0 && name.endsWith(']') ? name.slice(0, bracket) : name;
}

/** A set of lower-case parameter names to redact: the built-in ones plus `extraNames`. */
export function redactedParamNames(extraNames: readonly string[] = []): ReadonlySet<string> {
  return new Set([...ALWAYS_REDACTED_PARAMS, ...extraNames.filter((n) => n !== '').map((n) => n.toLowerCase())]);
}

/**
 * The raw query string (without `?`) with the value of every sensitive parameter replaced by
 * `[REDACTED]`; everything else is kept exactly as received. A name is sensitive when its
 * percent-decoded, lower-cased form (a trailing `[…]` ignored) is `os_password`, `password`,
 * `token`, `access_token`, `api_key`, `secret` or one of `extraNames` (case-insensitive). Both `&`
 * and `;` are treated as separators here, so a server that splits on `;` cannot see a secret
 * the log kept.
 *
 * @example
 * redactQuery('spaceKey=DEV&os_password=hunter2', []);   // 'spaceKey=DEV&os_password=[REDACTED]'
 * redactQuery('Pass%77ord=x&pin=1234', ['PIN']);         // 'Pass%77ord=[REDACTED]&pin=[REDACTED]'
 */
export function redactQuery(rawQuery: string, extraNames: readonly string[] | ReadonlySet<string> = []): string {
  if (rawQuery.length === 0) return rawQuery;
  const names = isSet(extraNames) ? extraNames : redactedParamNames(extraNames);
  if (!mayHoldName(rawQuery, names)) return rawQuery;
  let out = '';
  let start = 0;
  for (let i = 0; i <= rawQuery.length; i++) {
    const ch = rawQuery.charCodeAt(i); // NaN at the end
    if (i < rawQuery.length && ch !== 0x26 && ch !== 0x3b) continue; // & ;
    const part = rawQuery.slice(start, i);
    const eq = part.indexOf('=');
    out += eq >= 0 && names.has(normalizeParamName(part.slice(0, eq))) ? part.slice(0, eq + 1) + REDACTED : part;
    if (i < rawQuery.length) out += rawQuery[i];
    start = i + 1;
  }
  return out;
}

/** Cheap pre-check: false when no part of the query can be one of `names` (nothing to redact). */
function mayHoldName(rawQuery: string, names: ReadonlySet<string>): boolean {
  if (rawQuery.includes('%') || rawQuery.includes('+')) return true;
  const lower = rawQuery.toLowerCase();
  for (const name of names) if (lower.includes(name)) return true;
  return false;
}

function isSet(x: readonly string[] | ReadonlySet<string>): x is ReadonlySet<string> {
  return x instanceof Set;
}

/** A generated token anywhere in a text: the prefix and 38 base62 characters, whatever follows. */
const TOKEN_SHAPED = new RegExp(`${SECRET_PREFIX}[0-9A-Za-z]{38}`, 'g');

/**
 * Removes every string shaped like a tokengate token (`tgp_` + 32 random + 6 checksum characters
 * whose checksum matches) from `text` — any token, not only the caller's: someone else's secret
 * pasted into a query value, a path, a User-Agent or a Basic user name never reaches a record.
 * Found as written and percent-encoded (wholly or partly); characters after a token do not hide it.
 *
 * @example
 * scrubTokenShaped('GET /x?other=tgp_4fQ0Xh…Zr1'); // 'GET /x?other=[REDACTED]'
 */
export function scrubTokenShaped(text: string): string {
  const plain = text.includes(SECRET_PREFIX);
  if (!plain && !text.includes('%')) return text;
  const searched = plain && !text.includes('%') ? text : percentDecode(text);
  if (!searched.includes(SECRET_PREFIX)) return text;
  let out = text;
  for (const match of searched.matchAll(TOKEN_SHAPED)) {
    if (hasValidChecksum(match[0])) out = redactSecret(out, match[0]);
  }
  return out;
}

/**
 * The decoded values of the query parameters that are redacted (see {@link redactQuery}) in
 * `rawQuery`: the texts a reason must not quote.
 */
export function redactedParamValues(rawQuery: string, names: ReadonlySet<string>): string[] {
  if (rawQuery.length === 0 || !mayHoldName(rawQuery, names)) return [];
  const values: string[] = [];
  for (const part of rawQuery.split(/[&;]/)) {
    const eq = part.indexOf('=');
    if (eq < 0 || !names.has(normalizeParamName(part.slice(0, eq)))) continue;
    const value = percentDecode(part.slice(eq + 1), true);
    if (value !== '') values.push(value);
  }
  return values;
}

/**
 * `reason` without any quoted value of a redacted query parameter: the rule engine quotes the
 * value that failed a QueryParam part (`value "hunter2" does not match …`); for a parameter such
 * as `password` that quote becomes `[REDACTED]` — in the audit record and in the 403 message.
 *
 * @example
 * redactReasonValues('query parameter "password" value "hunter2" does not match x', ['hunter2'])
 * // 'query parameter "password" value [REDACTED] does not match x'
 */
export function redactReasonValues(reason: string, values: readonly string[]): string {
  let out = reason;
  for (const value of values) {
    const quoted = quote(value);
    if (out.includes(quoted)) out = out.split(quoted).join(REDACTED);
  }
  return out;
}
