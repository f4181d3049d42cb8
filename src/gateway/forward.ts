import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { type Dispatcher, Pool } from 'undici';
import { errorStatus, fixedMessage } from '../http/error-catalogue.js';
import { AnswerFraming } from './answer-framing.js';
import { buildClientHeaders } from './upstream-headers.js';

export interface UpstreamOptions {
  /** Upstream base URL, e.g. `http://confluence:8090`. Only its origin is used. */
  readonly url: string;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  /** Public origin that replaces the upstream origin in `Location` headers. */
  readonly publicOrigin: string;
  /**
   * Content-Security-Policy added to every response (`upstream.responseCsp`), null = none; an
   * upstream's own policy is kept beside it (browsers enforce both).
   */
  readonly responseCsp?: string | null;
}

/** Why forwarding failed before the response started: 502 (unreachable) or 504 (timeout). */
export class UpstreamError extends Error {
  readonly status: number;

  constructor(readonly code: 'upstream_unreachable' | 'upstream_timeout') {
    super(fixedMessage(code));
    this.status = errorStatus(code);
    this.name = 'UpstreamError';
  }
}

/**
 * The upstream's answer broke off after it had started (a reset or timeout mid-body): the client
 * response was destroyed; the call is an error with the status the upstream had sent.
 */
export class UpstreamBrokeOff extends Error {
  constructor(readonly status: number) {
    super(`the upstream REST API broke off its answer (status ${status}) before the end`);
    this.name = 'UpstreamBrokeOff';
  }
}

/**
 * How much of an answer that closes its connection may wait in memory for a slow client: such an
 * answer is never paused (see answer-framing.ts), and a client this far behind is cut off.
 */
export const MAX_UNPAUSED_BYTES = 64 * 1024 * 1024;

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * The only place that talks to the upstream: a keep-alive pool, bodies streamed both ways, the
 * upstream's answer written straight into the client response. Redirects are passed through.
 *
 * @example
 * const upstream = new Upstream({ url: 'http://127.0.0.1:8090', timeoutMs: 30000, connectTimeoutMs: 5000, publicOrigin });
 * const status = await upstream.forward(res, 'GET', '/rest/api/space?limit=1', headers, null);
 */
export class Upstream {
  readonly #pool: Pool;
  readonly #origin: string;
  readonly #publicOrigin: string;
  readonly #timeoutMs: number;
  readonly #responseCsp: string | null;

  constructor(options: UpstreamOptions) {
    this.#responseCsp = options.responseCsp ?? null;
    this.#origin = new URL(options.url).origin;
    this.#publicOrigin = options.publicOrigin;
    this.#timeoutMs = options.timeoutMs;
    this.#pool = new Pool(this.#origin, {
      connections: 128,
      pipelining: 1,
      keepAliveTimeout: 4_000,
      connect: { timeout: options.connectTimeoutMs },
    });
  }

  /**
   * Sends the request upstream and streams the answer into `res`. Resolves with the upstream
   * status once the response is complete. Rejects with `UpstreamError` when no response came
   * (nothing was written to `res` then); a failure mid-body destroys `res` and rejects with
   * `UpstreamBrokeOff`.
   */
  forward(
    res: ServerResponse,
    method: string,
    pathAndQuery: string,
    headers: OutgoingHttpHeaders,
    body: Readable | Buffer | null,
  ): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#pool.dispatch(
        {
          path: pathAndQuery,
          method: method as Dispatcher.HttpMethod,
          headers: headers as Record<string, string | string[]>,
          body,
          headersTimeout: this.#timeoutMs,
          bodyTimeout: this.#timeoutMs,
        },
        new ForwardHandler(res, body, this.#origin, this.#publicOrigin, this.#responseCsp, resolve, reject),
      );
    });
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/**
 * One forwarded call, as an undici dispatch handler: the upstream's status and headers become the
 * client response's head, its body chunks are written into the response (reading from the
 * upstream pauses while the client is slow), and a client that goes away aborts the upstream
 * request. It does what `pool.stream()` does for this case without what this case does not need
 * (an async resource and a half-dozen stream listeners per call).
 */
class ForwardHandler implements Dispatcher.DispatchHandler {
  #status = 0;
  #finished = false;
  /** The client went away first (its own choice, not an upstream failure). */
  #clientGone = false;
  #abort: ((err?: Error) => void) | null = null;
  #resume: (() => void) | null = null;
  /** The upstream closes the connection after this answer: never pause it (undici 7 would assert). */
  #closes = false;
  /** Body bytes still to come by Content-Length, or -1 without one: the last chunk is never paused. */
  #remaining = -1;
  readonly #res: ServerResponse;
  readonly #body: Readable | Buffer | null;
  readonly #upstreamOrigin: string;
  readonly #publicOrigin: string;
  readonly #responseCsp: string | null;
  readonly #resolve: (status: number) => void;
  readonly #reject: (err: UpstreamError | UpstreamBrokeOff) => void;

  constructor(
    res: ServerResponse,
    body: Readable | Buffer | null,
    upstreamOrigin: string,
    publicOrigin: string,
    responseCsp: string | null,
    resolve: (status: number) => void,
    reject: (err: UpstreamError | UpstreamBrokeOff) => void,
  ) {
    this.#res = res;
    this.#body = body;
    this.#upstreamOrigin = upstreamOrigin;
    this.#publicOrigin = publicOrigin;
    this.#responseCsp = responseCsp;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  onConnect(abort: (err?: Error) => void): void {
    this.#abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true; // 1xx: informational, not passed on
    const res = this.#res;
    this.#status = statusCode;
    this.#resume = resume;
    const framing = new AnswerFraming();
    res.writeHead(
      statusCode,
      buildClientHeaders(rawHeaders, this.#upstreamOrigin, this.#publicOrigin, this.#responseCsp, framing),
    );
    this.#closes = framing.closes;
    this.#remaining = framing.length;
    // `close` comes once (after the response, or when the client went away): `on`, not the costlier `once`
    res.on('close', () => this.#clientClosed());
    return res.destroyed || !res.writableNeedDrain;
  }

  onData(chunk: Buffer): boolean {
    const res = this.#res;
    // A destroyed response never drains: never pause on it (undici asserts when a paused
    // connection ends, which would end the process); the request is being aborted anyway.
    if (res.destroyed) return true;
    if (this.#remaining > 0) this.#remaining -= chunk.length;
    if (res.write(chunk)) return true;
    // A paused connection that then ends asserts in undici 7, from a socket listener (the process
    // would end): the answer's last chunk and answers that close their connection are never paused.
    if (this.#closes || this.#remaining === 0) {
      if (res.writableLength > MAX_UNPAUSED_BYTES) this.#abort?.(new Error('the client is too slow for this answer'));
      return true;
    }
    res.once('drain', () => this.#resume?.());
    return false;
  }

  onComplete(): void {
    this.#finished = true;
    this.#res.end();
    this.#resolve(this.#status);
  }

  onError(err: Error): void {
    this.#finished = true;
    const res = this.#res;
    if (this.#status !== 0 || res.headersSent) {
      res.destroy();
      if (this.#clientGone) this.#resolve(this.#status);
      else this.#reject(new UpstreamBrokeOff(this.#status));
    } else {
      this.#reject(toUpstreamError(err));
    }
    // as pool.stream() does: a request body still being sent is not read any further
    const body = this.#body;
    if (body !== null && !Buffer.isBuffer(body) && !body.destroyed) body.destroy(err);
  }

  /** The client response closed: before the upstream's body was all written, that aborts the upstream request. */
  #clientClosed(): void {
    if (this.#finished) return;
    this.#clientGone = true;
    this.#abort?.(new Error('the client closed the connection'));
  }
}

function toUpstreamError(err: Error): UpstreamError {
  const code = (err as Error & { code?: string }).code ?? '';
  if (TIMEOUT_CODES.has(code)) return new UpstreamError('upstream_timeout');
  return new UpstreamError('upstream_unreachable');
}
