import type { User } from '../store/models.js';
import { expiringDaysOf } from './expiring-days.js';
import type { PageDeps } from './page-deps.js';
import type { SessionTimes } from './page-sessions.js';
import type { SessionData } from './session-codec.js';

/** What the page learns about the signed-in user and the server (`GET /tokengate/api/me`). */
export interface MeResponse {
  readonly status: 'ok';
  readonly user: {
    readonly username: string;
    readonly displayName: string | null;
    readonly email: string | null;
    readonly admin: boolean;
  };
  /** Send in `X-CSRF-Token` with every change. */
  readonly csrfToken: string;
  readonly secureMode: boolean;
  readonly publicUrl: string;
  readonly authType: string;
  readonly maxExpiryDays: number | null;
  /** Tokens expiring within this many days are marked and found by the "expiring" filter. */
  readonly expiringDays: number;
  readonly session: { readonly idleMinutes: number; readonly endsAt: number };
}

/** The `me` answer for a session. */
export function meResponse(
  deps: Pick<PageDeps, 'config' | 'publicUrl' | 'settingsHolder' | 'tokens'>,
  user: User,
  session: SessionData,
  times: SessionTimes,
): MeResponse {
  return {
    status: 'ok',
    user: { username: user.username, displayName: user.displayName, email: user.email, admin: user.admin },
    csrfToken: session.csrf,
    secureMode: deps.config.secureMode,
    publicUrl: deps.publicUrl,
    authType: deps.settingsHolder.current.authType,
    maxExpiryDays: deps.tokens.maxExpiryDays(),
    expiringDays: pageExpiringDays(deps),
    session: { idleMinutes: Math.round(times.idleMs / 60_000), endsAt: session.issuedAt + times.maxMs },
  };
}

/** The page's "expiring" window (see {@link expiringDaysOf}): the largest `webhooks.expiringDays`. */
export function pageExpiringDays(deps: Pick<PageDeps, 'config'>): number {
  return expiringDaysOf(deps.config.webhooks.expiringDays);
}
