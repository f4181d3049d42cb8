/**
 * How an upstream answer ends, read from its headers as they are copied for the client: whether
 * the upstream closes the connection after it, and its Content-Length. undici 7 asserts (an
 * uncatchable error that would end the process) when a connection it paused for backpressure
 * ends after an answer that closes it, so the forwarder must know this before it pauses (fixed in
 * undici 8, which needs Node 22).
 */

/** The header names {@link AnswerFraming.see} wants (lower case). */
export const FRAMING_HEADERS: ReadonlySet<string> = new Set(['connection', 'content-length', 'transfer-encoding']);

/**
 * Collects the framing of one answer from its `Connection`, `Content-Length` and
 * `Transfer-Encoding` headers.
 *
 * @example
 * const framing = new AnswerFraming();
 * framing.see('connection', 'close');
 * framing.closes; // true
 */
export class AnswerFraming {
  #close = false;
  #chunked = false;
  /** The Content-Length, or -1 when there is none (or it is not one plain number). */
  length = -1;

  /** Notes one header; `name` in lower case, one of {@link FRAMING_HEADERS}. */
  see(name: string, rawValue: Buffer | string): void {
    const value = (typeof rawValue === 'string' ? rawValue : rawValue.toString('latin1')).trim().toLowerCase();
    if (name === 'connection') {
      if (value.split(',').some((token) => token.trim() === 'close')) this.#close = true;
    } else if (name === 'content-length') {
      this.length = /^\d{1,15}$/.test(value) ? Number(value) : -1;
    } else if (name === 'transfer-encoding') {
      this.#chunked = true;
    }
  }

  /** `Connection: close`, or no length and not chunked (the body ends with the connection). */
  get closes(): boolean {
    return this.#close || (this.length < 0 && !this.#chunked);
  }
}
