/**
 * The one error shape every client sees: `{"status":"error","message":…}`.
 *
 * Throw or return an `HttpError` anywhere below the server; the server turns it into a
 * response with `sendError`. Messages are written for people and never contain a secret
 * or a stack trace.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;

  constructor(status: number, message: string, headers: Record<string, string | string[]> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}

/** The JSON body of an error response. */
export function errorBody(message: string): string {
  return JSON.stringify({ status: 'error', message });
}
