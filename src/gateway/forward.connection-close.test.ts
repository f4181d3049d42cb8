/**
 * Upstreams that close the connection after an answer (`Connection: close`, HTTP/1.0, a body
 * that ends with the connection, an answer cut short) while the client reads slowly. undici
 * 7 asserts when a connection it has paused for backpressure ends after such an answer, from a
 * socket listener where nothing can catch it: one slow client would end the whole process.
 * Each variant is sent by a raw TCP upstream, byte for byte, behind a real HTTP server; a
 * crash fails this file.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer, request, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_UNPAUSED_BYTES, Upstream, type UpstreamBrokeOff, type UpstreamError } from './forward.js';

const BODY = Buffer.alloc(4 * 1024 * 1024, 'tokengate');
/** Each variant is sent this many times: whether the last chunk finds the client behind varies. */
const ROUNDS = 6;

/** What the raw upstream writes for one request: the head, then the body, then it ends the socket. */
type Answer = (socket: Socket) => void;

/** A client that waits `pauseMs` after each chunk it reads; resolves with what it got. */
function slowGet(url: string, pauseMs: number): Promise<{ status: number; length: number; complete: boolean }> {
  return new Promise((resolve) => {
    const req = request(url, (res) => {
      let length = 0;
      // waits before each chunk: the proxy's writes keep filling up, to the last one
      res.on('data', (c: Buffer) => {
        length += c.length;
        res.pause();
        setTimeout(() => res.resume(), pauseMs);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, length, complete: res.complete }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, length, complete: false }));
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, length, complete: false }));
    });
    req.on('error', () => resolve({ status: 0, length: 0, complete: false }));
    req.end();
  });
}

describe('upstream answers that close the connection, to a slow client', () => {
  let answer: Answer = (socket) => socket.end();
  let upstream: TcpServer;
  let proxy: Server;
  let proxyUrl: string;
  let forwarder: Upstream;
  const outcomes: (number | UpstreamError | UpstreamBrokeOff)[] = [];

  before(async () => {
    upstream = createTcpServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => answer(socket));
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    forwarder = new Upstream({
      url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
      timeoutMs: 10_000,
      connectTimeoutMs: 1000,
      publicOrigin: 'http://public.example',
    });
    proxy = createHttpServer((req, res) => {
      forwarder.forward(res, 'GET', req.url ?? '/', {}, null).then(
        (status) => outcomes.push(status),
        (err: UpstreamError | UpstreamBrokeOff) => {
          outcomes.push(err);
          if (!res.headersSent) {
            res.writeHead(err instanceof Error && 'status' in err ? err.status : 502);
            res.end();
          }
        },
      );
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });

  after(async () => {
    await forwarder.close();
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
    await new Promise((resolve) => upstream.close(resolve));
  });

  const variants: { name: string; head: string; cut?: boolean }[] = [
    {
      name: 'HTTP/1.1, Connection: close, Content-Length',
      head: `HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: ${BODY.length}\r\n\r\n`,
    },
    {
      name: 'HTTP/1.1, Connection: close, the body ends with the connection',
      head: 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n',
    },
    { name: 'HTTP/1.0, Content-Length', head: `HTTP/1.0 200 OK\r\nContent-Length: ${BODY.length}\r\n\r\n` },
    { name: 'HTTP/1.0, the body ends with the connection', head: 'HTTP/1.0 200 OK\r\n\r\n' },
    {
      name: 'HTTP/1.1, Connection: close, chunked',
      head: 'HTTP/1.1 200 OK\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n',
    },
  ];

  for (const variant of variants) {
    test(`${variant.name}: the slow client gets the whole body, the process stays up`, async () => {
      const chunked = variant.head.includes('chunked');
      answer = (socket) => {
        socket.write(variant.head);
        if (chunked) socket.write(`${BODY.length.toString(16)}\r\n`);
        socket.write(BODY);
        if (chunked) socket.write('\r\n0\r\n\r\n');
        socket.end();
      };
      for (let round = 0; round < ROUNDS; round += 1) {
        const got = await slowGet(`${proxyUrl}/file`, 2);
        assert.equal(got.status, 200);
        assert.equal(got.length, BODY.length);
        assert.equal(got.complete, true);
        assert.equal(outcomes.at(-1), 200);
      }
    });
  }

  test('an answer cut short by a closing upstream reaches the slow client cut short; the process stays up', async () => {
    answer = (socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: ${BODY.length * 2}\r\n\r\n`);
      socket.write(BODY);
      socket.end();
    };
    const got = await slowGet(`${proxyUrl}/cut`, 2);
    assert.equal(got.status, 200);
    assert.equal(got.complete, false);
    assert.ok(got.length < BODY.length * 2);
    await sleep(50);
    assert.equal((outcomes.at(-1) as Error).name, 'UpstreamBrokeOff');
  });

  test('a client that stops reading a closing answer is cut off once it is MAX_UNPAUSED_BYTES behind', async () => {
    const huge = Buffer.alloc(MAX_UNPAUSED_BYTES + 16 * 1024 * 1024, 'x');
    answer = (socket) => {
      socket.write('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n');
      socket.end(huge);
    };
    const before = outcomes.length;
    const req = request(`${proxyUrl}/huge`, () => undefined); // never reads the body
    req.on('error', () => undefined);
    req.end();
    try {
      for (let waited = 0; outcomes.length === before && waited < 20_000; waited += 50) await sleep(50);
      assert.equal((outcomes.at(-1) as Error | undefined)?.name, 'UpstreamBrokeOff');
    } finally {
      req.destroy();
    }
  });
});
