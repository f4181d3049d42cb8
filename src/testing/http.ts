/** HTTP helpers for black-box tests: credentials, one call with its JSON answer, a raw request-target. */
import { request } from 'node:http';

/** `Authorization: Basic …` for USER:TOKEN. */
export function basic(user: string, token: string): string {
  return `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;
}

/** The answer of one HTTP call: status, headers and the body parsed as JSON (null when it is not JSON). */
export interface CallResult {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test code reads whatever JSON came back
  readonly json: any;
}

/**
 * One call to `base + path` with `Authorization: auth` and, when given, `X-Forwarded-For: ip`
 * (for servers that trust one proxy hop, so each scenario can be its own client address).
 */
export async function call(
  base: string,
  path: string,
  options: { auth?: string; ip?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth !== undefined) headers.authorization = options.auth;
  if (options.ip !== undefined) headers['x-forwarded-for'] = options.ip;
  if (options.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json };
}

/** A GET sent with exactly this request-target (fetch would normalise dot segments and escapes). */
export function rawGet(
  base: string,
  target: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method: 'GET', path: target, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
