/**
 * The path part of the canonical request: one char-code pass, no regular expression.
 *
 * Rule: percent-encoded *unreserved* characters (ALPHA DIGIT - . _ ~) are decoded once; every
 * other escape is kept as received, with its hex digits upper-cased. Anything whose meaning
 * could differ between tokengate and a Java/Tomcat upstream is refused, never repaired.
 */

/** Why a path was refused: a sentence for the client (400). */
export interface PathRefusal {
  readonly refused: string;
}

const SLASH = 0x2f;
const DOT = 0x2e;
const PERCENT = 0x25;

/** Hex value of an ASCII code, or -1. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}
const HEX_UPPER = '0123456789ABCDEF';

/** 1 for RFC 3986 unreserved characters: ALPHA DIGIT - . _ ~ */
const UNRESERVED = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) UNRESERVED[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) UNRESERVED[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) UNRESERVED[c] = 1;
UNRESERVED[0x2d] = 1;
UNRESERVED[DOT] = 1;
UNRESERVED[0x5f] = 1;
UNRESERVED[0x7e] = 1;

/**
 * Raw characters that stop the fast loop: 1 = refused. Control characters, space, DEL and
 * anything above 0x7E are handled by a range test.
 */
const RAW_REFUSED = new Uint8Array(128);
RAW_REFUSED[0x5c] = 1; // \
RAW_REFUSED[0x3b] = 1; // ;
RAW_REFUSED[0x23] = 1; // #

function refuse(reason: string): PathRefusal {
  return { refused: `the request path is refused: ${reason}` };
}

/** Shows at most a few characters of the offending input, printable and quoted. */
function shown(text: string): string {
  return JSON.stringify(text.length > 12 ? `${text.slice(0, 12)}…` : text);
}

function refuseRaw(code: number): PathRefusal {
  switch (code) {
    case 0x5c:
      return refuse('a backslash "\\" is not allowed (some servers read it as "/")');
    case 0x3b:
      return refuse('";" is not allowed (Tomcat reads it as the start of path parameters such as ;jsessionid=)');
    case 0x23:
      return refuse('"#" is not allowed in a request target');
    default:
      if (code < 0x20 || code === 0x7f)
        return refuse(`control character U+${code.toString(16).toUpperCase().padStart(4, '0')} is not allowed`);
      if (code === 0x20) return refuse('a raw space is not allowed; percent-encode it as %20');
      return refuse('a non-ASCII character is not allowed raw; percent-encode its UTF-8 bytes');
  }
}

/** A refusal for an escape of a byte below 0x80 that is neither kept nor decoded; null when it is kept. */
function refuseEscape(byte: number, escaped: string): PathRefusal | null {
  switch (byte) {
    case 0x2f:
      return refuse(`an encoded "/" (${escaped}) is not allowed (the upstream may read it as a separator)`);
    case 0x5c:
      return refuse(`an encoded backslash (${escaped}) is not allowed (some servers read it as "/")`);
    case 0x3b:
      return refuse(`an encoded ";" (${escaped}) is not allowed (Tomcat may read it as path parameters)`);
    case 0x25:
      return refuse(`an encoded "%" (${escaped}) is not allowed (double encoding may be decoded twice upstream)`);
    case 0x23:
      return refuse(
        `an encoded "#" (${escaped}) is not allowed (the upstream decodes it, and a URL rebuilt from it would end there)`,
      );
    case 0x3f:
      return refuse(
        `an encoded "?" (${escaped}) is not allowed (the upstream decodes it, and a URL rebuilt from it would start a query there)`,
      );
    default:
      if (byte < 0x20 || byte === 0x7f) return refuse(`an encoded control character (${escaped}) is not allowed`);
      return null;
  }
}

function refuseUtf8(escaped: string): PathRefusal {
  return refuse(`${shown(escaped)} is not valid UTF-8 (overlong, surrogate or truncated sequences are refused)`);
}

/** What to do with an encoded slash `%2F`: refuse the path (default), or keep it encoded as data. */
export type EncodedSlashPolicy = 'refuse' | 'keep';

const DOT_SEGMENT_REFUSAL = refuse('dot segments ("." or "..", also encoded as %2E) are not allowed');
const ENCODED_DOT_SEGMENT_REFUSAL = refuse(
  'dot segments ("." or "..") next to an encoded "/" (%2F) are not allowed (the upstream may decode it and go up a level)',
);

/**
 * Canonicalises a request path (without its query). Returns the canonical path, or a
 * `PathRefusal` with a message for a `400`.
 *
 * With `encodedSlash: 'keep'` an escaped `/` stays in the path as `%2F` (upper-case hex), so
 * rules see the three characters and the upstream receives them; because an upstream may still
 * decode it to `/`, a `.` or `..` between encoded or raw slashes (`a%2F..%2Fb`) is refused like
 * any dot segment. Every other refusal stays.
 *
 * @example
 * canonicalPath('/rest/api/%7Euser/caf%c3%a9') // '/rest/api/~user/caf%C3%A9'
 * canonicalPath('/rest/api/..;/admin')         // { refused: 'the request path is refused: ";" is not allowed …' }
 * canonicalPath('/api/queues/%2f/orders', 'keep') // '/api/queues/%2F/orders'
 */
export function canonicalPath(path: string, encodedSlash: EncodedSlashPolicy = 'refuse'): string | PathRefusal {
  const keepSlash = encodedSlash === 'keep';
  const n = path.length;
  if (n === 0 || path.charCodeAt(0) !== SLASH) return refuse('it must start with "/"');
  let out = '';
  let copyFrom = 0; // 0 while the output equals the input (index 0 is always a kept "/")
  let segLen = 0;
  let segDots = 0;
  // Characters since the last raw or (kept) encoded slash, and how many were dots.
  let subLen = 0;
  let subDots = 0;
  // UTF-8 validation of escaped bytes: continuation bytes still needed and the allowed range of the next one.
  let utf8Need = 0;
  let utf8Lo = 0x80;
  let utf8Hi = 0xbf;
  let utf8Start = 0;
  for (let i = 1; i < n; i++) {
    const c = path.charCodeAt(i);
    if (c === PERCENT) {
      const h1 = i + 2 < n ? (HEX[path.charCodeAt(i + 1)] ?? -1) : -1;
      const h2 = h1 >= 0 ? (HEX[path.charCodeAt(i + 2)] ?? -1) : -1;
      if (h2 < 0) {
        return refuse(
          `${shown(path.slice(i, i + 3))} is not a valid percent-encoding ("%" must be followed by two hex digits)`,
        );
      }
      const byte = h1 * 16 + h2;
      if (utf8Need > 0) {
        if (byte < utf8Lo || byte > utf8Hi) return refuseUtf8(path.slice(utf8Start, i + 3));
        utf8Need--;
        utf8Lo = 0x80;
        utf8Hi = 0xbf;
      } else if (byte >= 0x80) {
        if (byte >= 0xc2 && byte <= 0xdf) utf8Need = 1;
        else if (byte >= 0xe0 && byte <= 0xef) {
          utf8Need = 2;
          if (byte === 0xe0)
            utf8Lo = 0xa0; // no overlong 3-byte form
          else if (byte === 0xed) utf8Hi = 0x9f; // no UTF-16 surrogates
        } else if (byte >= 0xf0 && byte <= 0xf4) {
          utf8Need = 3;
          if (byte === 0xf0)
            utf8Lo = 0x90; // no overlong 4-byte form
          else if (byte === 0xf4) utf8Hi = 0x8f; // nothing above U+10FFFF
        } else {
          return refuseUtf8(path.slice(i, i + 6));
        }
        utf8Start = i;
      } else if (UNRESERVED[byte] === 1) {
        out += path.slice(copyFrom, i) + String.fromCharCode(byte);
        copyFrom = i + 3;
        segLen++;
        subLen++;
        if (byte === DOT) {
          segDots++;
          subDots++;
        }
        i += 2;
        continue;
      } else if (byte === SLASH && keepSlash) {
        if (subLen > 0 && subDots === subLen && subLen <= 2) return ENCODED_DOT_SEGMENT_REFUSAL;
        subLen = -1; // the kept escape below counts one; an empty part between slashes is data (a vhost "/")
        subDots = 0;
      } else {
        const refusal = refuseEscape(byte, path.slice(i, i + 3));
        if (refusal !== null) return refusal;
      }
      // Kept escape: normalise the hex digits to upper case.
      const d1 = path.charCodeAt(i + 1);
      const d2 = path.charCodeAt(i + 2);
      if (d1 >= 0x61 || d2 >= 0x61) {
        out += path.slice(copyFrom, i) + '%' + HEX_UPPER[h1] + HEX_UPPER[h2];
        copyFrom = i + 3;
      }
      segLen++;
      subLen++;
      i += 2;
      continue;
    }
    if (utf8Need > 0) return refuseUtf8(path.slice(utf8Start, i));
    if (c === SLASH) {
      if (segLen === 0) return refuse('empty segments ("//") are not allowed');
      if (segDots === segLen && segLen <= 2) return DOT_SEGMENT_REFUSAL;
      if (subLen > 0 && subDots === subLen && subLen <= 2) return ENCODED_DOT_SEGMENT_REFUSAL;
      segLen = 0;
      segDots = 0;
      subLen = 0;
      subDots = 0;
      continue;
    }
    if (c === DOT) {
      segLen++;
      segDots++;
      subLen++;
      subDots++;
      continue;
    }
    if (c <= 0x20 || c >= 0x7f || RAW_REFUSED[c] === 1) return refuseRaw(c);
    segLen++;
    subLen++;
  }
  if (utf8Need > 0) return refuseUtf8(path.slice(utf8Start));
  if (segLen > 0 && segDots === segLen && segLen <= 2) return DOT_SEGMENT_REFUSAL;
  if (subLen > 0 && subDots === subLen && subLen <= 2) return ENCODED_DOT_SEGMENT_REFUSAL;
  return copyFrom === 0 ? path : out + path.slice(copyFrom);
}
