import { isAscii } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './http-error.js';
import { type JsonNumberText, parseStrictJson } from './strict-json.js';

/** `ignoreBOM: true` keeps a BOM in the text so the strict parser refuses it by name. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** 415 unless every listed content coding is `identity`. */
function checkContentEncoding(value: string | undefined): void {
  if (value === undefined) return;
  for (const part of value.split(',')) {
    const coding = part.trim().toLowerCase();
    if (coding !== '' && coding !== 'identity') {
      throw new HttpError(
        'unsupported_media_type',
        `Content-Encoding ${JSON.stringify(coding.slice(0, 40))} is not supported for bodies that a rule must check; send the body uncompressed`,
      );
    }
  }
}

/** 415 unless the type is `application/json` with no charset or a UTF-8 one. */
function checkContentType(value: string | undefined): void {
  if (value === undefined || value.trim() === '') {
    throw new HttpError('unsupported_media_type', 'the body must be sent with Content-Type: application/json');
  }
  const [type = '', ...params] = value.split(';');
  if (type.trim().toLowerCase() !== 'application/json') {
    throw new HttpError(
      'unsupported_media_type',
      `Content-Type ${JSON.stringify(type.trim().slice(0, 80))} is not accepted; the body must be application/json`,
    );
  }
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    if (param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    let charset = param
      .slice(eq + 1)
      .trim()
      .toLowerCase();
    if (charset.length >= 2 && charset.startsWith('"') && charset.endsWith('"')) charset = charset.slice(1, -1);
    if (charset !== 'utf-8' && charset !== 'utf8') {
      throw new HttpError(
        'unsupported_media_type',
        `charset ${JSON.stringify(charset.slice(0, 40))} is not accepted; JSON bodies must be UTF-8`,
      );
    }
  }
}

function tooLarge(limitBytes: number): HttpError {
  return new HttpError('body_too_large', `the request body is larger than the limit of ${limitBytes} bytes`);
}

/**
 * Reads a request body that a rule must check, strictly:
 * - `Content-Encoding` other than `identity` → 415;
 * - `Content-Type` not `application/json` (parameters allowed; a charset other than UTF-8) → 415;
 * - `Content-Length` above `limitBytes` → 413 before reading; more than `limitBytes` read → 413
 *   (reading stops; the stream is neither drained nor destroyed, so the caller can still answer —
 *   it should close the connection with that answer);
 * - empty, not UTF-8, BOM, invalid JSON or a duplicate key anywhere → 400.
 *
 * Returns the exact bytes read (forward these, they are what was checked), the parsed value and
 * the source text of its numbers where JavaScript would write them otherwise.
 *
 * @example
 * const { bytes, value } = await readJsonBody(req, req.headers, 1_048_576);
 * // value: { type: 'page', title: 'TEST 1' }; bytes: the body as received
 */
export async function readJsonBody(
  stream: AsyncIterable<Buffer> | NodeJS.ReadableStream,
  headers: IncomingHttpHeaders,
  limitBytes: number,
): Promise<{ bytes: Buffer; value: unknown; numberText: JsonNumberText | null }> {
  checkContentEncoding(headerText(headers['content-encoding']));
  checkContentType(headerText(headers['content-type']));
  const declared = headers['content-length'];
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limitBytes) throw tooLarge(limitBytes);

  const chunks: Buffer[] = [];
  let total = 0;
  // Iterated by hand: leaving a `for await` would destroy a Node stream (and with it the socket).
  const iterator = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) break;
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
    total += chunk.length;
    if (total > limitBytes) throw tooLarge(limitBytes);
    chunks.push(chunk);
  }
  if (total === 0) throw new HttpError('invalid_json', 'body is empty but a JsonData rule needs a JSON object');

  const bytes = chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, total);
  let text: string;
  if (isAscii(bytes)) {
    // ASCII is UTF-8 read byte for byte: the fast Latin-1 decoding gives the same text.
    text = bytes.toString('latin1');
  } else {
    try {
      text = utf8.decode(bytes);
    } catch {
      throw new HttpError('invalid_json', 'the request body is not valid UTF-8');
    }
  }
  const parsed = parseStrictJson(text);
  if (!parsed.ok) throw new HttpError('invalid_json', `the request body is not accepted: ${parsed.message}`);
  return { bytes, value: parsed.value, numberText: parsed.numberText };
}
