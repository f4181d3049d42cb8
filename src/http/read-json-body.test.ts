import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { HttpError } from './http-error.js';
import { readJsonBody } from './read-json-body.js';

const JSON_TYPE: IncomingHttpHeaders = { 'content-type': 'application/json' };

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part;
}

async function refused(promise: Promise<unknown>, status: number, text: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof HttpError, String(err));
    assert.equal(err.status, status);
    assert.match(err.message, text);
    return true;
  });
}

describe('readJsonBody accepts', () => {
  test('a JSON object in several chunks, returning the exact bytes', async () => {
    const body = await readJsonBody(
      chunks('{"type":', '"page", "title" : "caf', Buffer.from([0xc3]), Buffer.from([0xa9, 0x22, 0x7d])),
      JSON_TYPE,
      1000,
    );
    assert.deepEqual(body.value, { type: 'page', title: 'café' });
    assert.equal(body.bytes.toString('utf8'), '{"type":"page", "title" : "café"}');
  });

  test('a Node readable stream', async () => {
    const body = await readJsonBody(Readable.from([Buffer.from('{"a":[1,2]}')]), JSON_TYPE, 100);
    assert.deepEqual(body.value, { a: [1, 2] });
  });

  test('content type parameters, a UTF-8 charset and identity encoding', async () => {
    for (const headers of [
      { 'content-type': 'application/json; charset=utf-8' },
      { 'content-type': 'Application/JSON;Charset="UTF-8"' },
      { 'content-type': 'application/json; charset=utf8; foo=bar' },
      { 'content-type': 'application/json', 'content-encoding': 'identity' },
      { 'content-type': 'application/json', 'content-length': '7' },
    ] satisfies IncomingHttpHeaders[]) {
      const body = await readJsonBody(chunks('{"a":1}'), headers, 100);
      assert.deepEqual(body.value, { a: 1 }, JSON.stringify(headers));
    }
  });

  test('a body of exactly the limit', async () => {
    const body = await readJsonBody(chunks('{"a":1}'), JSON_TYPE, 7);
    assert.equal(body.bytes.length, 7);
  });
});

describe('readJsonBody refuses', () => {
  test('a compressed body with 415', async () => {
    for (const encoding of ['gzip', 'br', 'deflate', 'identity, gzip', 'x-unknown']) {
      await refused(
        readJsonBody(chunks('{}'), { ...JSON_TYPE, 'content-encoding': encoding }, 100),
        415,
        /Content-Encoding .* not supported for bodies that a rule must check/,
      );
    }
  });

  test('another or a missing content type with 415', async () => {
    await refused(readJsonBody(chunks('{}'), {}, 100), 415, /application\/json/);
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json-patch+json',
      'application/jsonx',
      'multipart/form-data',
    ]) {
      await refused(readJsonBody(chunks('{}'), { 'content-type': type }, 100), 415, /application\/json/);
    }
  });

  test('a charset other than UTF-8 with 415', async () => {
    for (const charset of ['utf-16', 'iso-8859-1', 'UTF-16LE', '']) {
      await refused(
        readJsonBody(chunks('{}'), { 'content-type': `application/json; charset=${charset}` }, 100),
        415,
        /charset/,
      );
    }
  });

  test('a Content-Length above the limit with 413 before reading', async () => {
    let read = false;
    const stream = (async function* () {
      read = true;
      yield Buffer.from('{}');
    })();
    await refused(
      readJsonBody(stream, { ...JSON_TYPE, 'content-length': '1001' }, 1000),
      413,
      /larger than the limit of 1000 bytes/,
    );
    assert.equal(read, false);
  });

  test('more bytes than the limit with 413, and stops reading', async () => {
    let pulled = 0;
    const stream = (async function* () {
      for (;;) {
        pulled++;
        yield Buffer.alloc(400, 0x20);
      }
    })();
    await refused(readJsonBody(stream, JSON_TYPE, 1000), 413, /larger than the limit/);
    assert.equal(pulled, 3);
  });

  test('a Node stream over the limit is not destroyed (the caller can still answer)', async () => {
    const stream = new Readable({ read() {} });
    stream.push(Buffer.alloc(600, 0x20));
    stream.push(Buffer.alloc(600, 0x20));
    await refused(readJsonBody(stream, JSON_TYPE, 1000), 413, /larger than the limit/);
    assert.equal(stream.destroyed, false);
  });

  test('an empty body with 400', async () => {
    await refused(
      readJsonBody(chunks(), JSON_TYPE, 100),
      400,
      /^body is empty but a JsonData rule needs a JSON object$/,
    );
  });

  test('invalid UTF-8 with 400', async () => {
    for (const bytes of [
      [0x22, 0xff, 0x22],
      [0x22, 0xc0, 0xae, 0x22],
      [0x22, 0xed, 0xa0, 0x80, 0x22],
      [0x22, 0xc3],
    ]) {
      await refused(readJsonBody(chunks(Buffer.from(bytes)), JSON_TYPE, 100), 400, /not valid UTF-8/);
    }
  });

  test('a byte-order mark with 400', async () => {
    await refused(
      readJsonBody(chunks(Buffer.from([0xef, 0xbb, 0xbf]), '{"a":1}'), JSON_TYPE, 100),
      400,
      /byte-order mark/,
    );
  });

  test('duplicate keys with 400 and the parser message', async () => {
    await refused(
      readJsonBody(chunks('{"type":"page","type":"blogpost"}'), JSON_TYPE, 100),
      400,
      /duplicate key "type"/,
    );
    await refused(
      readJsonBody(chunks('{"space":{"key":"A","key":"B"}}'), JSON_TYPE, 100),
      400,
      /duplicate key "key" in the object at space/,
    );
  });

  test('invalid JSON with 400', async () => {
    await refused(readJsonBody(chunks('{"a":1'), JSON_TYPE, 100), 400, /end of JSON/);
    await refused(readJsonBody(chunks('{"a":1}garbage'), JSON_TYPE, 100), 400, /after the JSON value/);
  });
});
