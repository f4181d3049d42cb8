import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CanonicalRequest } from '../http/canonical-request.js';
import type { User } from '../store/models.js';
import type { SessionData } from './session-codec.js';

/** One request to the page's JSON API, before the session is known. */
export interface PageRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The same canonical view the gateway uses (decoded query, normalised path). */
  readonly canonical: CanonicalRequest;
  /** Client address (past trusted proxies). */
  readonly ip: string;
  /** Served over HTTPS (cookies get `Secure`). */
  readonly https: boolean;
}

/** A request of a signed-in user: the user as the store has it now, and the session. */
export interface SignedInRequest extends PageRequest {
  readonly user: User;
  readonly session: SessionData;
}
