/**
 * What the rules see of a request, and the one function that builds it. Every caller — the
 * gateway, `tokenTools/check`, the CLI's dry run — goes through `requestFacts`, so a new fact
 * (for a new part kind) is added here once and reaches all of them.
 */

/**
 * The body as the evaluator sees it.
 * - `undefined`: not read (yet). Evaluation then answers `needsBody` where a JsonData part decides.
 * - `{ kind: 'json', value }`: strictly parsed JSON (any JSON value; only objects can match).
 * - `{ kind: 'none' }`: read, and there was no body.
 */
export type EvaluatedBody =
  | {
      readonly kind: 'json';
      readonly value: unknown;
      /**
       * The source text of numbers JavaScript would write otherwise (`1e2`, `9007199254740993`):
       * container → key or index → text, as the strict parser reports it. Without it a number
       * is matched as `String(value)`.
       */
      readonly numberText?: JsonNumberSources | null;
    }
  | { readonly kind: 'none' };

/** Where the source text of a JSON number is (a `WeakMap` from the strict parser fits). */
export interface JsonNumberSources {
  get(container: object): ReadonlyMap<string | number, string> | undefined;
}

/** What the evaluator looks at: a view of the canonical request. */
export interface RequestFacts {
  /** Upper-case method. */
  readonly method: string;
  /** Canonical path, e.g. `/rest/api/space/EXT` (no query). */
  readonly path: string;
  /** Public base URL + canonical path, e.g. `https://wiki.example.com/rest/api/space/EXT`; may equal path when no public URL is known. */
  readonly absoluteUrl: string;
  /** Decoded query: name → every value in order. */
  readonly query: ReadonlyMap<string, readonly string[]>;
  readonly body?: EvaluatedBody;
}

/**
 * The fields of a canonical request the rules read (`http/`'s `CanonicalRequest` has them; named
 * here so that this folder imports nothing from `http/`).
 */
export interface CanonicalRequestView {
  readonly method: string;
  readonly path: string;
  readonly absoluteUrl: string;
  readonly query: ReadonlyMap<string, readonly string[]>;
}

/** A body that was read and is no body at all (a dry run without `--body`). */
export const NO_BODY: EvaluatedBody = Object.freeze({ kind: 'none' });

/**
 * The facts of a canonical request, with the body when one was read (`undefined`: not read, so a
 * JsonData part answers "needs the body"). Copies only what the rules see, so nothing else of the
 * request (headers, a body stream) reaches them by accident.
 *
 * @example
 * requestFacts(canonical) // { method: 'GET', path: '/rest/api/space', absoluteUrl: 'https://…/rest/api/space', query: Map {}, body: undefined }
 * requestFacts(canonical, { kind: 'json', value: { type: 'page' } })
 */
export function requestFacts(request: CanonicalRequestView, body?: EvaluatedBody): RequestFacts {
  return {
    method: request.method,
    path: request.path,
    absoluteUrl: request.absoluteUrl,
    query: request.query,
    body,
  };
}

/**
 * The body of a dry run (`tokenTools/check`, `tokengate check`): a JSON value given by a person,
 * or none when they gave no body — never "not read", since there is nothing more to read.
 */
export function dryRunBody(value: unknown, numberText: JsonNumberSources | null = null): EvaluatedBody {
  if (value === undefined) return NO_BODY;
  return numberText === null ? { kind: 'json', value } : { kind: 'json', value, numberText };
}
