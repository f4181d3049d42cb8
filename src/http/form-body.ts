import type { IncomingHttpHeaders } from 'node:http';
import busboy from 'busboy';
import type { ErrorCode } from './error-catalogue.js';
import { HttpError } from './http-error.js';
import { parseQuery } from './parse-query.js';

/** The two body types a servlet container (and most frameworks) reads as request parameters. */
export type FormKind = 'urlencoded' | 'multipart';

/** A form body as read and judged: the exact bytes (these are forwarded) and every parameter. */
export interface FormBody {
  readonly bytes: Buffer;
  /** Parameter name → every value in order (multipart: the parts without a filename). */
  readonly params: ReadonlyMap<string, readonly string[]>;
  /** Every part or pair name, file parts included (for override and credential names). */
  readonly names: ReadonlySet<string>;
}

/** At most this many pairs or parts in one form body: beyond it the body is refused (the upstream must not see parameters tokengate did not). */
export const FORM_PARAM_LIMIT = 1000;

function headerText(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** `application/x-www-form-urlencoded` or `multipart/form-data` (media type compared case-insensitively), else null. */
export function formKindOf(contentType: string | string[] | undefined): FormKind | null {
  const text = headerText(contentType);
  if (text === '') return null;
  const semicolon = text.indexOf(';');
  const type = (semicolon < 0 ? text : text.slice(0, semicolon)).trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return 'urlencoded';
  if (type === 'multipart/form-data') return 'multipart';
  return null;
}

/** The charset parameter of a Content-Type (lower case, unquoted), or null. */
function charsetOf(contentType: string): string | null {
  for (const param of contentType.split(';').slice(1)) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    let value = param
      .slice(eq + 1)
      .trim()
      .toLowerCase();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    return value;
  }
  return null;
}

function isUtf8(charset: string | null): boolean {
  return charset === 'utf-8' || charset === 'utf8';
}

/** True when a form text has a percent-escape of a byte above 0x7F (its meaning depends on the charset). */
function hasHighEscape(text: string): boolean {
  return /%[89a-fA-F][0-9a-fA-F]/.test(text);
}

function refuse(code: ErrorCode, message: string): never {
  throw new HttpError(code, message);
}

/** 415 unless every content coding is `identity`: a compressed form could not be checked. */
function checkContentEncoding(value: string): void {
  for (const part of value.split(',')) {
    const coding = part.trim().toLowerCase();
    if (coding !== '' && coding !== 'identity') {
      refuse(
        'unsupported_media_type',
        `Content-Encoding ${JSON.stringify(coding.slice(0, 40))} is not supported for form bodies; send the body uncompressed`,
      );
    }
  }
}

/** Reads the whole body, at most `limitBytes` (413 beyond; the stream is left as it is). */
async function readBytes(
  stream: AsyncIterable<Buffer | string>,
  headers: IncomingHttpHeaders,
  limitBytes: number,
): Promise<Buffer> {
  const tooLarge = () =>
    new HttpError('body_too_large', `the request body is larger than the limit of ${limitBytes} bytes`);
  const declared = headers['content-length'];
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limitBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  // Iterated by hand: leaving a `for await` would destroy a Node stream (and with it the socket).
  const iterator = stream[Symbol.asyncIterator]();
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) break;
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
    total += chunk.length;
    if (total > limitBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/**
 * `application/x-www-form-urlencoded`, read as the query is (same parser: `&` pairs, `+` is a space,
 * UTF-8 escapes). Without a UTF-8 charset an escape of a byte above 0x7F is refused: Tomcat
 * decodes such a body as ISO-8859-1 by default, most frameworks as UTF-8 — no single meaning.
 */
function parseUrlencoded(bytes: Buffer, contentType: string): { params: Map<string, string[]>; names: Set<string> } {
  const charset = charsetOf(contentType);
  if (charset !== null && !isUtf8(charset)) {
    refuse(
      'unsupported_media_type',
      `charset ${JSON.stringify(charset.slice(0, 40))} is not accepted; form bodies must be UTF-8`,
    );
  }
  const text = bytes.toString('latin1');
  if (charset === null && hasHighEscape(text)) {
    refuse(
      'invalid_form',
      'the form body has non-ASCII values but no charset; send Content-Type: application/x-www-form-urlencoded; charset=UTF-8',
    );
  }
  const parsed = parseQuery(text);
  if ('refused' in parsed)
    refuse('invalid_form', parsed.refused.replace(/^the query is refused/, 'the form body is refused'));
  let pairs = 0;
  for (const values of parsed.values()) pairs += values.length;
  if (pairs > FORM_PARAM_LIMIT) refuse('invalid_form', `the form body has more than ${FORM_PARAM_LIMIT} parameters`);
  return { params: parsed, names: new Set(parsed.keys()) };
}

/** Transfer encodings a part may declare: the ones that mean "the bytes as they are". */
const PLAIN_TRANSFER_ENCODINGS = new Set(['7bit', '8bit', 'binary']);

/**
 * `multipart/form-data`, read by busboy from the bytes already read. Parts without a filename are
 * parameters (as in a servlet container); file parts only count by name. Refused (400): a part
 * with a transfer encoding (base64, quoted-printable: a server may decode it), a non-ASCII field
 * value (its charset is read differently by servers), more than FORM_PARAM_LIMIT parts, or
 * anything busboy cannot parse.
 */
function parseMultipart(
  bytes: Buffer,
  contentType: string,
): Promise<{ params: Map<string, string[]>; names: Set<string> }> {
  return new Promise((resolve, reject) => {
    const params = new Map<string, string[]>();
    const names = new Set<string>();
    let failed = false;
    const fail = (message: string) => {
      if (failed) return;
      failed = true;
      reject(new HttpError('invalid_form', `the multipart body is refused: ${message}`));
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        defParamCharset: 'utf8',
        defCharset: 'latin1',
        preservePath: true,
        limits: {
          fieldSize: bytes.length + 1,
          fields: FORM_PARAM_LIMIT,
          files: FORM_PARAM_LIMIT,
          parts: FORM_PARAM_LIMIT,
          fieldNameSize: 1024,
          headerPairs: 100,
        },
      });
    } catch (err) {
      fail(err instanceof Error ? err.message.slice(0, 200) : 'not a multipart body');
      return;
    }
    const checkEncoding = (name: string, encoding: string) => {
      if (!PLAIN_TRANSFER_ENCODINGS.has(encoding.toLowerCase())) {
        fail(
          `part ${JSON.stringify(name.slice(0, 40))} has Content-Transfer-Encoding ${JSON.stringify(encoding.slice(0, 40))}`,
        );
      }
    };
    /** Tomcat trims part names (`name="spaceKey "` is its `spaceKey`), other readers do not: such a name has no one meaning. */
    const checkName = (name: string) => {
      if (name !== name.trim() || /[^\x21-\x7e]/.test(name)) {
        fail(
          `the part name ${JSON.stringify(name.slice(0, 40))} has blanks at its ends or characters outside printable ASCII`,
        );
      }
    };
    parser.on('field', (name, value, info) => {
      checkName(name);
      checkEncoding(name, info.encoding);
      if (info.nameTruncated || info.valueTruncated) fail('a field is too long');
      if (/[\u0080-\uffff]/.test(value))
        fail(`the value of ${JSON.stringify(name.slice(0, 40))} is not ASCII; servers read its charset differently`);
      names.add(name);
      const values = params.get(name);
      if (values === undefined) params.set(name, [value]);
      else values.push(value);
    });
    parser.on('file', (name, stream, info) => {
      checkName(name);
      checkEncoding(name, info.encoding);
      names.add(name);
      stream.resume();
    });
    for (const event of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
      parser.on(event, () => fail(`more than ${FORM_PARAM_LIMIT} parts`));
    }
    parser.on('error', (err: Error) => fail(err.message.slice(0, 200)));
    parser.on('close', () => {
      if (!failed) resolve({ params, names });
    });
    parser.end(bytes);
  });
}

/**
 * Reads a form body on a token call (at most `limitBytes`) and its parameters, so that the
 * rules judge what the upstream will read as parameters and the bytes forwarded are the ones
 * judged. 413 beyond the limit, 415 for a compressed body or a charset other than UTF-8, 400 for
 * a body that cannot be read one way only.
 *
 * @example
 * const form = await readFormBody(req, req.headers, 'urlencoded', 1_048_576);
 * // form.params: Map { 'spaceKey' → ['OTHER'] }; form.bytes: the body as received
 */
export async function readFormBody(
  stream: AsyncIterable<Buffer | string>,
  headers: IncomingHttpHeaders,
  kind: FormKind,
  limitBytes: number,
): Promise<FormBody> {
  checkContentEncoding(headerText(headers['content-encoding']));
  const contentType = headerText(headers['content-type']);
  const bytes = await readBytes(stream, headers, limitBytes);
  const { params, names } =
    kind === 'urlencoded' ? parseUrlencoded(bytes, contentType) : await parseMultipart(bytes, contentType);
  return { bytes, params, names };
}

/**
 * The parameters the rules see for a call with a form body: the query's values, then the body's
 * (the order a servlet container reports them in).
 */
export function mergedParams(
  query: ReadonlyMap<string, readonly string[]>,
  body: ReadonlyMap<string, readonly string[]>,
): Map<string, readonly string[]> {
  const merged = new Map<string, readonly string[]>(query);
  for (const [name, values] of body) {
    const before = merged.get(name);
    merged.set(name, before === undefined ? values : [...before, ...values]);
  }
  return merged;
}
