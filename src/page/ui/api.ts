/** The page's client for `/tokengate/api/…`: same-origin, cookie session, CSRF header on every change. */

/** An answer that is not 2xx, with the server's message in words. */
export class ApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

export type QueryValue = string | number | undefined | null;

export interface Api {
  /** URL of an API path with query parameters (empty values left out), e.g. for download links. */
  url(path: string, params?: Readonly<Record<string, QueryValue>>): string;
  get<T>(path: string, params?: Readonly<Record<string, QueryValue>>): Promise<T>;
  send<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

export interface ApiOptions {
  /** Absolute URL of `…/tokengate/api/`. */
  readonly base: string;
  /** The session's CSRF token ('' before sign-in). */
  readonly csrf: () => string;
  /** Called when the server says the session is over (401), with its reason. */
  readonly onSignedOut: (message: string) => void;
  /** Injected in tests; the browser's `fetch` by default. */
  readonly fetch?: typeof fetch;
}

async function messageOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    if (typeof body.message === 'string' && body.message !== '') return body.message;
  } catch {
    // not JSON: fall through
  }
  return `the server answered ${response.status} ${response.statusText}`.trim();
}

/**
 * Creates the API client.
 *
 * @example
 * const api = createApi({ base: new URL('api/', document.baseURI).href, csrf: () => me.csrfToken, onSignedOut });
 * const page = await api.get<TokenPage>('tokens', { q: 'ci', sort: 'label' });
 */
export function createApi(options: ApiOptions): Api {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const url = (path: string, params: Readonly<Record<string, QueryValue>> = {}): string => {
    const target = new URL(path, options.base);
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== '') target.searchParams.set(name, String(value));
    }
    return target.href;
  };
  const run = async <T>(method: string, target: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') headers['x-csrf-token'] = options.csrf();
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(target, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'tokengate cannot be reached: check the connection and try again');
    }
    if (!response.ok) {
      const message = await messageOf(response);
      if (response.status === 401) options.onSignedOut(message);
      throw new ApiError(response.status, message);
    }
    return (await response.json()) as T;
  };
  return {
    url,
    get: (path, params) => run('GET', url(path, params)),
    send: (method, path, body) => run(method, url(path), body),
  };
}
