/**
 * How an upstream answer ends, read from its raw header list: whether the upstream closes the
 * connection after it, and its Content-Length. undici 7 asserts (an uncatchable error that would
 * end the process) when a connection it paused for backpressure ends after an answer that closes
 * it, so the forwarder must know this before it pauses (fixed in undici 8, which needs Node 22).
 */
import { util as undiciUtil } from 'undici';

export interface AnswerFraming {
  /** `Connection: close`, or no length and not chunked (the body ends with the connection). */
  readonly closes: boolean;
  /** The Content-Length, or -1 when there is none (or it is not one plain number). */
  readonly length: number;
}

/** Reads `Connection`, `Content-Length` and `Transfer-Encoding` from undici's raw header list. */
export function answerFraming(raw: readonly (Buffer | string)[]): AnswerFraming {
  let closes = false;
  let length = -1;
  let chunked = false;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = undiciUtil.headerNameToString(raw[i] as Buffer | string);
    if (name !== 'connection' && name !== 'content-length' && name !== 'transfer-encoding') continue;
    const rawValue = raw[i + 1] as Buffer | string;
    const value = (typeof rawValue === 'string' ? rawValue : rawValue.toString('latin1')).trim().toLowerCase();
    if (name === 'connection') {
      if (value.split(',').some((token) => token.trim() === 'close')) closes = true;
    } else if (name === 'content-length') {
      length = /^\d{1,15}$/.test(value) ? Number(value) : -1;
    } else {
      chunked = true;
    }
  }
  return { closes: closes || (length < 0 && !chunked), length };
}
