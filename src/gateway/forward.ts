import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { Pool } from 'undici';
import { buildClientHeaders } from './upstream-headers.js';

export interface UpstreamOptions {
  /** Upstream base URL, e.g. `http://confluence:8090`. Only its origin is used. */
  readonly url: string;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  /** Public origin that replaces the upstream origin in `Location` headers. */
  readonly publicOrigin: string;
}

/** Why forwarding failed before the response started: 502 (unreachable) or 504 (timeout). */
export class UpstreamError extends Error {
  constructor(
    readonly status: 502 | 504,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * The only place that talks to the upstream: a keep-alive pool, bodies streamed both ways with
 * `pool.stream()` writing straight into the client response. Redirects are passed through.
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

  constructor(options: UpstreamOptions) {
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

  get origin(): string {
    return this.#origin;
  }

  /**
   * Sends the request upstream and streams the answer into `res`. Resolves with the upstream
   * status once the response is complete. Rejects with `UpstreamError` when no response came
   * (nothing was written to `res` then); a failure mid-body destroys `res`.
   */
  forward(
    res: ServerResponse,
    method: string,
    pathAndQuery: string,
    headers: OutgoingHttpHeaders,
    body: Readable | Buffer | null,
  ): Promise<number> {
    let status = 0;
    const upstreamOrigin = this.#origin;
    const publicOrigin = this.#publicOrigin;
    return new Promise((resolve, reject) => {
      this.#pool.stream(
        {
          path: pathAndQuery,
          method: method as Dispatcher.HttpMethod,
          headers: headers as Record<string, string | string[]>,
          body,
          headersTimeout: this.#timeoutMs,
          bodyTimeout: this.#timeoutMs,
          opaque: res,
        },
        (data) => {
          status = data.statusCode;
          data.opaque.writeHead(data.statusCode, buildClientHeaders(data.headers, upstreamOrigin, publicOrigin));
          return data.opaque;
        },
        (err) => {
          if (err === null) {
            resolve(status);
            return;
          }
          if (status !== 0 || res.headersSent) {
            res.destroy();
            resolve(status);
            return;
          }
          reject(toUpstreamError(err));
        },
      );
    });
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

function toUpstreamError(err: Error): UpstreamError {
  const code = (err as Error & { code?: string }).code ?? '';
  if (TIMEOUT_CODES.has(code)) return new UpstreamError(504, 'the upstream REST API did not answer in time');
  return new UpstreamError(502, 'the upstream REST API could not be reached');
}
