import type { IncomingMessage, ServerResponse } from 'node:http';
import { PAGE_BASE } from '../http/paths.js';
import { readCookie, serializeCookie } from './cookies.js';

/** Name of the page session cookie. */
export const SESSION_COOKIE = 'tokengate_session';
/** The cookie is sent only to the page (never to `/rest/`, where it would mean nothing anyway). */
export const SESSION_COOKIE_PATH = PAGE_BASE;

/** The sealed session the browser sent, or undefined. */
export function sessionCookieOf(req: IncomingMessage): string | undefined {
  return readCookie(req.headers.cookie, SESSION_COOKIE);
}

/** Sets the session cookie on `res` (HttpOnly, SameSite=Strict, Secure over HTTPS). */
export function setSessionCookie(res: ServerResponse, sealed: string, maxAgeSeconds: number, secure: boolean): void {
  res.setHeader(
    'set-cookie',
    serializeCookie(SESSION_COOKIE, sealed, { path: SESSION_COOKIE_PATH, maxAge: maxAgeSeconds, secure }),
  );
}

/** Tells the browser to forget the session cookie. */
export function clearSessionCookie(res: ServerResponse, secure: boolean): void {
  res.setHeader('set-cookie', serializeCookie(SESSION_COOKIE, '', { path: SESSION_COOKIE_PATH, maxAge: 0, secure }));
}
