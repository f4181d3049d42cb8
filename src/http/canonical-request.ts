import type { IncomingHttpHeaders } from 'node:http';
import type { EncodedSlashPolicy } from './canonical-path.js';

/**
 * The one view of a request that every step after the HTTP layer sees.
 * What the restriction engine checks is exactly what the gateway forwards.
 */
export interface CanonicalRequest {
  /** Upper-case method token (`GET`, `POST`, …). */
  readonly method: string;
  /**
   * Canonical path: percent-encoding of unreserved characters decoded once, every other
   * escape kept exactly as received. This is the path that is forwarded upstream.
   */
  readonly path: string;
  /** The query string as received, without the `?` ('' when there is none). */
  readonly rawQuery: string;
  /** Decoded query: name → every value in order (`+` is a space). */
  readonly query: ReadonlyMap<string, readonly string[]>;
  /** Public base URL (no trailing slash) + path; equals `path` when no public URL is configured. */
  readonly absoluteUrl: string;
  /** Headers as Node parsed them (lower-case names). */
  readonly headers: IncomingHttpHeaders;
}

/** Options of `canonicalize`. */
export interface CanonicalizeOptions {
  /**
   * Public base URL, e.g. `https://wiki.example.com` (no trailing slash, may have a path prefix
   * such as `https://example.com/confluence`). Absolute-form request targets must match it.
   */
  readonly publicUrl: string | null;
  /** `refuse` (default) a path with `%2F`, or `keep` it encoded (see `canonicalPath`). */
  readonly encodedSlash?: EncodedSlashPolicy;
}

/** A raw request as received: method and request-target exactly as on the wire. */
export interface RawRequestLine {
  readonly method: string;
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
}

export type CanonicalizeResult =
  | { readonly ok: true; readonly request: CanonicalRequest }
  | { readonly ok: false; readonly status: 400; readonly message: string };
