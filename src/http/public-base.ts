/** The parts of the configured public URL that the canonicaliser needs. */
export interface PublicBase {
  /** `https:` or `http:`. */
  readonly protocol: string;
  /** Lower-case host with a non-default port, as WHATWG `URL.host` gives it (`wiki.example.com`, `[::1]:8443`). */
  readonly host: string;
  /** Scheme + host, no trailing slash (`https://example.com`). */
  readonly origin: string;
  /** Path prefix without trailing slash (`/confluence`), or `''`. */
  readonly prefix: string;
}

let cachedUrl: string | null = null;
let cachedBase: PublicBase | null = null;

/**
 * Parses the configured public URL once (the last one is cached, so this is free per request).
 * Throws a `TypeError` for a URL that is not http(s): that is a configuration error, not a
 * client error.
 *
 * @example
 * publicBase('https://Example.com:443/confluence/') // { protocol: 'https:', host: 'example.com', origin: 'https://example.com', prefix: '/confluence' }
 */
export function publicBase(publicUrl: string): PublicBase {
  if (publicUrl === cachedUrl && cachedBase !== null) return cachedBase;
  const url = new URL(publicUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`the public URL must be http or https: ${publicUrl}`);
  }
  const prefix = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  const base: PublicBase = Object.freeze({ protocol: url.protocol, host: url.host, origin: url.origin, prefix });
  cachedUrl = publicUrl;
  cachedBase = base;
  return base;
}
