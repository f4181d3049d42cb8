import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { canonicalize } from './canonicalize.js';

/**
 * A hostile upstream's reading of a path: decodes every `%XX` (and IIS `%uXXXX`), reads overlong
 * 2-byte UTF-8 as ASCII like old JVMs did, and keeps each other byte as one latin1 character.
 */
function decodeOnce(path: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    const hex2 = path.slice(i + 1, i + 3);
    const hex4 = path.slice(i + 2, i + 6);
    if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test(hex2)) {
      bytes.push(Number.parseInt(hex2, 16));
      i += 2;
    } else if (c === 0x25 && (path[i + 1] === 'u' || path[i + 1] === 'U') && /^[0-9a-fA-F]{4}$/.test(hex4)) {
      bytes.push(Number.parseInt(hex4, 16));
      i += 5;
    } else {
      bytes.push(c);
    }
  }
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    const next = bytes[i + 1] ?? 0;
    if ((b === 0xc0 || b === 0xc1) && next >= 0x80 && next <= 0xbf) {
      out += String.fromCharCode(((b & 0x1f) << 6) | (next & 0x3f));
      i++;
    } else {
      out += String.fromCharCode(b);
    }
  }
  return out;
}

/** Decodes until nothing changes (catches double and triple encoding). */
function decodeFully(path: string): string {
  let current = path;
  for (let round = 0; round < 10; round++) {
    const next = decodeOnce(current);
    if (next === current) return current;
    current = next;
  }
  return current;
}

/** The segments of a decoded path read naively: split on "/", trailing slash ignored. */
function plainSegments(decoded: string): string[] {
  const parts = decoded.split('/').slice(1);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * The segments of a decoded path read the most liberal way a server might: `\` is `/`, `;params`
 * are dropped, NUL, `#` and `?` end the path, empty and `.` segments vanish, `..` goes up.
 */
function normalisedSegments(decoded: string): string[] {
  const cut = decoded.search(/[\0#?]/);
  const text = (cut < 0 ? decoded : decoded.slice(0, cut)).replaceAll('\\', '/');
  const out: string[] = [];
  for (const raw of text.split('/').slice(1)) {
    const segment = raw.split(';')[0] ?? '';
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return out;
}

const PIECES = [
  '/',
  '/',
  '/',
  'rest',
  'api',
  'space',
  'a',
  'Z',
  '9',
  '-',
  '_',
  '~',
  '.',
  '..',
  '...',
  '%2e',
  '%2E',
  '%2f',
  '%2F',
  '%5c',
  '%5C',
  '%3b',
  '%3B',
  '%25',
  '%252e',
  '%252f',
  '%00',
  '%0a',
  '%7f',
  '%23',
  '%3f',
  '%41',
  '%7e',
  '%7E',
  '%20',
  '%3A',
  '%40',
  '%2B',
  '%c3%a9',
  '%C3%A9',
  '%c0%ae',
  '%C0%AF',
  '%e0%80%ae',
  '%ed%a0%80',
  '%u002e',
  '%',
  '%4',
  '%zz',
  '\\',
  ';',
  ';jsessionid=1',
  '#',
  ':',
  '@',
  '!',
  '*',
  '+',
  ',',
  '=',
  "'",
  '(',
  ')',
  '$',
  '&',
  '\u00e9',
  '\t',
  ' ',
];

const hostilePath = fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }).map((parts) => `/${parts.join('')}`);
const printablePath = fc
  .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 30 })
  .map((s) => `/${s}`)
  .filter((s) => !s.includes('?'));
const anyPath = fc.oneof(
  hostilePath,
  printablePath,
  fc.webPath().filter((p) => p.startsWith('/')),
);

function canonical(path: string): string | null {
  const result = canonicalize({ method: 'GET', target: path, headers: {} }, { publicUrl: null });
  return result.ok ? result.request.path : null;
}

describe('canonicalize properties', () => {
  test('an accepted path means the same to a naive and to a normalising, repeatedly-decoding upstream', () => {
    fc.assert(
      fc.property(anyPath, (path) => {
        const out = canonical(path);
        if (out === null) return;
        const once = decodeOnce(out);
        assert.equal(decodeFully(out), once, 'decoding twice must change nothing');
        assert.deepEqual(normalisedSegments(decodeFully(out)), plainSegments(once));
        // The received path means the same as the forwarded one.
        assert.equal(decodeOnce(path), once);
      }),
      { numRuns: 20_000 },
    );
  });

  test('accepted output is idempotent', () => {
    fc.assert(
      fc.property(anyPath, (path) => {
        const out = canonical(path);
        if (out === null) return;
        assert.equal(canonical(out), out);
      }),
      { numRuns: 20_000 },
    );
  });

  test('accepted output has only upper-case escapes of reserved or non-ASCII bytes', () => {
    fc.assert(
      fc.property(anyPath, (path) => {
        const out = canonical(path);
        if (out === null) return;
        for (const match of out.matchAll(/%(..)/g)) {
          const hex = match[1] ?? '';
          assert.match(hex, /^[0-9A-F]{2}$/);
          assert.doesNotMatch(String.fromCharCode(Number.parseInt(hex, 16)), /[A-Za-z0-9\-._~]/);
        }
        assert.doesNotMatch(out, /[^\x21-\x7e]|[\\;#]/);
      }),
      { numRuns: 20_000 },
    );
  });

  test('the generators reach both outcomes', () => {
    const samples = fc.sample(hostilePath, { numRuns: 2_000, seed: 1 });
    const accepted = samples.filter((p) => canonical(p) !== null).length;
    assert.ok(accepted > 100 && accepted < 1_900, `accepted ${accepted} of 2000`);
  });
});
