import type { IncomingMessage } from 'node:http';
import type { AppCall } from '../gateway/gateway.js';

/**
 * What the middleware puts on `req.tokengate` for a call it allowed: who called, and what the
 * rules judged. Read the query and the body from here: they are exactly what was checked.
 */
export interface TokengateIdentity {
  /** The token's user (lower-case username). */
  readonly user: string;
  readonly tokenId: string;
  /** The token's label. */
  readonly label: string;
  readonly authMethod: 'basic' | 'bearer';
  /** The `limitTo` line that allowed the call (0: an unrestricted token). */
  readonly line: number;
  /** The canonical path the rules saw. */
  readonly path: string;
  /** The decoded query the rules saw: name → every value in order (`+` is a space). */
  readonly query: ReadonlyMap<string, readonly string[]>;
  /**
   * The body's exact bytes when tokengate read it to check it (a JSON body for `JsonData` rules,
   * every form body); null when the rules did not need the body, which is then still unread.
   */
  readonly rawBody: Buffer | null;
  /** `json`, `form`, or null when the body was not read. */
  readonly bodyKind: 'json' | 'form' | null;
}

/** The request of a call the middleware allowed. */
export interface TokengateRequest extends IncomingMessage {
  tokengate?: TokengateIdentity;
  body?: unknown;
}

/** The identity of an allowed call, as the middleware attaches it. */
export function identityOf(call: AppCall): TokengateIdentity {
  return Object.freeze({
    user: call.user,
    tokenId: call.tokenId,
    label: call.tokenLabel,
    authMethod: call.authMethod,
    line: call.line,
    path: call.canonical.path,
    query: call.canonical.query,
    rawBody: call.body?.bytes ?? null,
    bodyKind: call.body?.kind ?? null,
  });
}

/**
 * `req.body` for a body tokengate read: the JSON value it checked, or for a form an object (no
 * prototype) of name → value, or → every value when a name comes more than once, the shape of
 * `express.urlencoded()`.
 */
export function bodyOf(call: AppCall): unknown {
  const body = call.body;
  if (body === null) return undefined;
  if (body.kind === 'json') return body.value;
  const params = body.value as ReadonlyMap<string, readonly string[]>;
  const object: Record<string, string | string[]> = Object.create(null);
  for (const [name, values] of params) object[name] = values.length === 1 ? (values[0] as string) : [...values];
  return object;
}
