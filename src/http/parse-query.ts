/**
 * The decoded view of a raw query string, as a Java/Tomcat upstream reads it: pairs separated by
 * `&` (never `;`), name and value split at the first `=`, `+` is a space, percent-escapes are
 * UTF-8. The raw query itself is what gets forwarded.
 */

/** Why a query was refused: a sentence for the client (400). */
export interface QueryRefusal {
  readonly refused: string;
}

const AMP = 0x26;
const EQUALS = 0x3d;
const PERCENT = 0x25;
const PLUS = 0x2b;
const HASH = 0x23;

function decodeComponent(text: string): string | null {
  try {
    return decodeURIComponent(text.includes('+') ? text.replaceAll('+', ' ') : text);
  } catch {
    return null;
  }
}

function refuseChar(code: number): QueryRefusal {
  if (code === HASH) return { refused: 'the query is refused: "#" is not allowed in a request target' };
  if (code < 0x20 || code === 0x7f) return { refused: 'the query is refused: control characters are not allowed' };
  if (code === 0x20) return { refused: 'the query is refused: a raw space is not allowed; encode it as + or %20' };
  return { refused: 'the query is refused: a non-ASCII character is not allowed raw; percent-encode its UTF-8 bytes' };
}

/**
 * Parses a raw query (without `?`) into name → every value in order. Names and values are both
 * decoded; malformed percent-encoding or invalid UTF-8 is refused, as are raw characters outside
 * printable ASCII and `#`. Empty pairs (`a=1&&b=2`) are skipped; a name without `=` has the value `''`.
 *
 * @example
 * parseQuery('spaceKey=PM&expand=history&expand=body%2Eview&q=a+b')
 * // Map { 'spaceKey' → ['PM'], 'expand' → ['history', 'body.view'], 'q' → ['a b'] }
 */
export function parseQuery(rawQuery: string): Map<string, string[]> | QueryRefusal {
  const query = new Map<string, string[]>();
  const n = rawQuery.length;
  let start = 0;
  let eq = -1;
  let encoded = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? rawQuery.charCodeAt(i) : AMP;
    if (c === AMP) {
      if (i > start) {
        let name = eq < 0 ? rawQuery.slice(start, i) : rawQuery.slice(start, eq);
        let value = eq < 0 ? '' : rawQuery.slice(eq + 1, i);
        if (encoded) {
          const decodedName = decodeComponent(name);
          const decodedValue = decodeComponent(value);
          if (decodedName === null || decodedValue === null) {
            const bad = decodedName === null ? name : value;
            const text = bad.length > 40 ? `${bad.slice(0, 40)}…` : bad;
            return {
              refused: `the query is refused: ${JSON.stringify(text)} is not valid percent-encoding of UTF-8 text`,
            };
          }
          name = decodedName;
          value = decodedValue;
        }
        const values = query.get(name);
        if (values === undefined) query.set(name, [value]);
        else values.push(value);
      }
      start = i + 1;
      eq = -1;
      encoded = false;
    } else if (c === EQUALS) {
      if (eq < 0) eq = i;
    } else if (c === PERCENT || c === PLUS) {
      encoded = true;
    } else if (c <= 0x20 || c >= 0x7f || c === HASH) {
      return refuseChar(c);
    }
  }
  return query;
}
