/** The optional `[METHODS]` at the start of a rule: `[GET]`, `[get|post]`, `[GET, PUT]`. */

export type MethodListResult =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'methods';
      readonly methods: readonly string[];
      /** Index after the `]`. */
      readonly end: number;
    }
  | {
      readonly kind: 'error';
      /** 0-based, in the line. */
      readonly offset: number;
      readonly reason: string;
    };

const NONE: MethodListResult = { kind: 'none' };

/** Characters a method list may consist of: RFC 9110 `tchar` (which includes `|`), `,` and blanks. */
const METHOD_LIST_CHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z, \t]*$/;
/** One HTTP method: an RFC 9110 token. */
const METHOD_TOKEN = /^[!#$%&'*+\-.^_`~0-9A-Za-z]+$/;
const QUANTIFIERS = new Set(['*', '+', '?', '{']);

/** The methods every HTTP client knows (used to recognise a method list in the wrong place). */
export const STANDARD_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);

/**
 * Every method in the IANA HTTP Method Registry (RFC 9110, WebDAV, CalDAV, PATCH, QUERY…): a
 * method list naming anything else (`[FOO]`, `[GTE]`) is a mistake, never a rule that matches
 * nothing.
 */
export const KNOWN_METHODS: ReadonlySet<string> = new Set([
  ...STANDARD_METHODS,
  'ACL',
  'BASELINE-CONTROL',
  'BIND',
  'CHECKIN',
  'CHECKOUT',
  'COPY',
  'LABEL',
  'LINK',
  'LOCK',
  'MERGE',
  'MKACTIVITY',
  'MKCALENDAR',
  'MKCOL',
  'MKREDIRECTREF',
  'MKWORKSPACE',
  'MOVE',
  'ORDERPATCH',
  'PROPFIND',
  'PROPPATCH',
  'QUERY',
  'REBIND',
  'REPORT',
  'SEARCH',
  'UNBIND',
  'UNCHECKOUT',
  'UNLINK',
  'UNLOCK',
  'UPDATE',
  'UPDATEREDIRECTREF',
  'VERSION-CONTROL',
]);

/**
 * Reads the method list at the start of `text`. A leading `[…]` is a method list only when its
 * content is one: tokens separated by `|` or `,`, with at least one letter, and not followed by
 * a quantifier — otherwise it is a character class that starts the URL regex (`[a-z]+…`) and
 * the result is `none`. Methods come back upper case, without duplicates, in written order.
 *
 * @example
 * readMethodList('[get|Post].*') // { kind: 'methods', methods: ['GET', 'POST'], end: 10 }
 * readMethodList('[0-9]+.*')     // { kind: 'none' }
 */
export function readMethodList(text: string): MethodListResult {
  if (text[0] !== '[') return NONE;
  const close = text.indexOf(']');
  if (close < 0) return NONE;
  const content = text.slice(1, close);
  if (!METHOD_LIST_CHARS.test(content) || !/[A-Za-z]/.test(content)) return NONE;
  if (QUANTIFIERS.has(text[close + 1] ?? '')) return NONE;

  const methods: string[] = [];
  let offset = 1;
  for (const raw of content.split(/[|,]/)) {
    const name = raw.trim();
    const at = offset + (name === '' ? 0 : raw.indexOf(name));
    if (name === '') {
      return { kind: 'error', offset: at, reason: `empty method name in [${content}]; separate methods with | or ,` };
    }
    if (!METHOD_TOKEN.test(name)) {
      return {
        kind: 'error',
        offset: at,
        reason: `"${name}" is not an HTTP method; separate methods with | or , as in [GET|POST]`,
      };
    }
    const upper = name.toUpperCase();
    if (!KNOWN_METHODS.has(upper)) {
      return {
        kind: 'error',
        offset: at,
        reason: `"${name}" is not an HTTP method; use GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS (or another registered method), separated by | or ,`,
      };
    }
    if (!methods.includes(upper)) methods.push(upper);
    offset += raw.length + 1;
  }
  return { kind: 'methods', methods, end: close + 1 };
}

/**
 * True when `content` (the inside of `[…]`) lists only standard methods: `POST`, `get|put`.
 * Used to report a method list written after the URL.
 */
export function isStandardMethodList(content: string): boolean {
  const names = content.split(/[|,]/).map((name) => name.trim().toUpperCase());
  return names.length > 0 && names.every((name) => STANDARD_METHODS.has(name));
}
