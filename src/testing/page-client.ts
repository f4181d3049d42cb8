/** A signed-in browser-like client: keeps the session cookie, sends the CSRF token and a same-origin Origin. */
export class PageClient {
  readonly base: string;
  cookie = '';
  csrf = '';

  constructor(base: string) {
    this.base = base;
  }

  async signIn(username: string, password: string): Promise<Response> {
    const response = await this.request('POST', '/tokengate/api/session', { username, password }, { csrf: false });
    if (response.ok) {
      const body = (await response.clone().json()) as { csrfToken: string };
      this.csrf = body.csrfToken;
    }
    return response;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { origin: this.base, 'sec-fetch-site': 'same-origin', ...options.headers };
    if (this.cookie !== '') headers.cookie = this.cookie;
    if (options.csrf !== false && this.csrf !== '') headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    for (const set of response.headers.getSetCookie()) {
      const pair = set.split(';')[0] ?? '';
      this.cookie = pair.endsWith('=') ? '' : pair;
    }
    return response;
  }

  async json<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await this.request(method, path, body);
    return { status: response.status, body: (await response.json()) as T };
  }
}
