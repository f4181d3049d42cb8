import type { PublicBase } from './public-base.js';

/** Why a request target was refused: a sentence for the client (400). */
export interface TargetRefusal {
  readonly refused: string;
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? ':443' : ':80';
}

/**
 * Reduces a request target that does not start with `/` to its path and query. Only the
 * absolute form (`http://host/path?query`) whose scheme and host equal the public URL's is
 * accepted; asterisk-form (`*`), authority-form (`host:443`, CONNECT), other schemes, user
 * info and a foreign host are refused. The path is returned exactly as received (`/` when
 * the target has none); the caller checks the public URL's path prefix after canonicalising.
 *
 * @example
 * originFormOf('HTTPS://Wiki.Example.com:443/rest/api/space?limit=1', base) // '/rest/api/space?limit=1'
 * originFormOf('*', base) // { refused: '… asterisk-form …' }
 */
export function originFormOf(target: string, base: PublicBase | null): string | TargetRefusal {
  if (target === '*') {
    return { refused: 'the request target "*" (asterisk-form, OPTIONS *) is not accepted; send a path' };
  }
  const lower = target.slice(0, 8).toLowerCase();
  const schemeLength = lower.startsWith('http://') ? 7 : lower.startsWith('https://') ? 8 : 0;
  if (schemeLength === 0) {
    return {
      refused: 'the request target must be a path starting with "/" (or an absolute http(s) URL of this server)',
    };
  }
  if (base === null) {
    return { refused: 'absolute-form request targets are not accepted: no public URL is configured; send a path' };
  }
  let end = schemeLength;
  while (end < target.length) {
    const c = target.charCodeAt(end);
    if (c === 0x2f || c === 0x3f || c === 0x23) break; // / ? #
    end++;
  }
  const protocol = lower.slice(0, schemeLength - 2);
  let host = target.slice(schemeLength, end).toLowerCase();
  if (host.includes('@')) return { refused: 'user information in the request target is not accepted' };
  if (host.endsWith(':')) host = host.slice(0, -1);
  else if (host.endsWith(defaultPort(protocol))) host = host.slice(0, -defaultPort(protocol).length);
  if (protocol !== base.protocol || host !== base.host) {
    return { refused: `the request target's origin is not this server's public URL (${base.origin})` };
  }
  const rest = target.slice(end);
  if (rest === '' || rest.charCodeAt(0) === 0x3f) return '/' + rest;
  if (rest.charCodeAt(0) === 0x23) return { refused: '"#" is not allowed in a request target' };
  return rest;
}
