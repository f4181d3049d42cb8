import type { TokenRecord } from '../store/models.js';
import { isExpired } from './expiry.js';

/**
 * A token as the admin API (`tokenTools/get`) and the CLI show it: Extender's field names.
 * Never the digest; the secret only where it may be shown.
 */
export interface PublicTokenView {
  readonly id: string;
  readonly label: string;
  /** Bound username, or null: any user (Basic auth only). */
  readonly user: string | null;
  readonly author: string | null;
  /**
   * Extender's user keys (Confluence's stable user id): in tokengate a user's key is the
   * lower-case username, which never changes. Null where `user` / `author` is null.
   */
  readonly userKey: string | null;
  readonly authorKey: string | null;
  /** Rules, one per line, lines joined with `<br>` ('' = unrestricted). */
  readonly limitTo: string;
  readonly dateCreated: number;
  /** 0 = never expires. */
  readonly validUntil: number;
  readonly expired: boolean;
  readonly counter: number;
  readonly ip: string | null;
  /** 0 = never used. */
  readonly lastUsed: number;
  /** The secret: only for administrators, in standard mode, when it is kept. */
  readonly token?: string;
}

/** The public view of `record` at time `now`, with `secret` added when given. */
export function publicView(record: TokenRecord, now: number, secret?: string): PublicTokenView {
  const view: PublicTokenView = {
    id: record.id,
    label: record.label,
    user: record.user,
    author: record.author,
    userKey: record.user === null ? null : record.user.toLowerCase(),
    authorKey: record.author === null ? null : record.author.toLowerCase(),
    limitTo: record.limitTo === '' ? '' : record.limitTo.split('\n').join('<br>'),
    dateCreated: record.dateCreated,
    validUntil: record.validUntil,
    expired: isExpired(record, now),
    counter: record.counter,
    ip: record.ip,
    lastUsed: record.lastUsed,
  };
  return secret === undefined ? view : { ...view, token: secret };
}
