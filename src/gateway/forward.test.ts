/**
 * The upstream side of a call: `Upstream.forward` against a real HTTP upstream in this process,
 * behind a real HTTP server, so status, headers, bodies both ways, backpressure, timeouts and a
 * client that goes away are checked on actual sockets.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Upstream, UpstreamBrokeOff, UpstreamError } from './forward.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Sends one request; resolves with status, headers and body (or the socket error). */
function send(
  url: string,
  path: string,
  options: { method?: string; body?: Buffer } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: options.method ?? 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('Upstream.forward', () => {
  let upstreamHandler: Handler = (_req, res) => res.end();
  let upstream: { server: Server; url: string };
  let proxy: { server: Server; url: string };
  let forwarder: Upstream;
  /** What each proxied call ended with: a status or an UpstreamError. */
  const outcomes: (number | UpstreamError | UpstreamBrokeOff)[] = [];

  before(async () => {
    upstream = await listen((req, res) => upstreamHandler(req, res));
    forwarder = new Upstream({
      url: upstream.url,
      timeoutMs: 300,
      connectTimeoutMs: 1000,
      publicOrigin: 'https://public.example',
    });
    proxy = await listen((req, res) => {
      const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0';
      const headers: Record<string, string> = {};
      if (hasBody) headers['content-length'] = req.headers['content-length'] as string;
      forwarder.forward(res, req.method ?? 'GET', req.url ?? '/', headers, hasBody ? req : null).then(
        (status) => outcomes.push(status),
        (err: UpstreamError | UpstreamBrokeOff) => {
          outcomes.push(err);
          if (res.headersSent) return; // broke off mid-body: the response is already destroyed
          res.writeHead(err.status, { 'content-type': 'text/plain' });
          res.end(err.message);
        },
      );
    });
  });

  after(async () => {
    await forwarder.close();
    await close(proxy.server);
    await close(upstream.server);
  });

  test('status, body and headers pass through; hop-by-hop headers are dropped; Location is rewritten', async () => {
    upstreamHandler = (req, res) => {
      res.writeHead(302, {
        location: `${upstream.url}/rest/next?x=1`,
        'x-custom': 'kept',
        'keep-alive': 'timeout=77',
        'set-cookie': ['a=1', 'b=2'],
      });
      res.end(`moved ${req.method} ${req.url}`);
    };
    const r = await send(proxy.url, '/rest/api/space?limit=1');
    assert.equal(r.status, 302);
    assert.equal(r.body.toString(), 'moved GET /rest/api/space?limit=1');
    assert.equal(r.headers.location, 'https://public.example/rest/next?x=1');
    assert.equal(r.headers['x-custom'], 'kept');
    assert.deepEqual(r.headers['set-cookie'], ['a=1', 'b=2']);
    assert.notEqual(r.headers['keep-alive'], 'timeout=77');
    assert.equal(outcomes.at(-1), 302);
  });

  test('a request body is streamed up, a large response body streamed down intact', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 'abcdefgh');
    upstreamHandler = (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(200, { 'x-received': String(Buffer.concat(chunks).length) });
        res.end(big);
      });
    };
    const r = await send(proxy.url, '/rest/upload', { method: 'POST', body: Buffer.alloc(300_000, 'x') });
    assert.equal(r.status, 200);
    assert.equal(r.headers['x-received'], '300000');
    assert.equal(r.body.length, big.length);
    assert.ok(r.body.equals(big));
    assert.equal(outcomes.at(-1), 200);
  });

  test('HEAD and 204 answers without a body', async () => {
    upstreamHandler = (req, res) => {
      res.writeHead(req.method === 'HEAD' ? 200 : 204, { 'content-length': req.method === 'HEAD' ? '42' : '0' });
      res.end();
    };
    const head = await send(proxy.url, '/rest/x', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    const none = await send(proxy.url, '/rest/x', { method: 'DELETE' });
    assert.equal(none.status, 204);
  });

  test('an upstream that does not answer in time → 504, nothing written before', async () => {
    upstreamHandler = () => {
      // never answers
    };
    const r = await send(proxy.url, '/rest/slow');
    assert.equal(r.status, 504);
    const last = outcomes.at(-1);
    assert.ok(last instanceof UpstreamError && last.status === 504);
  });

  test('an upstream that fails mid-body → the client response is cut, the call rejects (an error, with the status)', async () => {
    upstreamHandler = (_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('partial');
      setTimeout(() => res.destroy(), 20);
    };
    await assert.rejects(send(proxy.url, '/rest/cut'));
    await waitFor(() => {
      const last = outcomes.at(-1);
      return last instanceof UpstreamBrokeOff && last.status === 200;
    });
  });

  test('a client that goes away mid-body aborts the upstream request', async () => {
    let upstreamClosed = false;
    upstreamHandler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024)), 5);
      res.on('close', () => {
        clearInterval(timer);
        upstreamClosed = true;
      });
    };
    await new Promise<void>((resolve, reject) => {
      const req = request(`${proxy.url}/rest/stream`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.on('close', () => resolve());
      req.end();
      setTimeout(() => reject(new Error('no data')), 5000);
    });
    await waitFor(() => upstreamClosed);
    await waitFor(() => outcomes.at(-1) === 200);
  });

  test('an unreachable upstream → 502', async () => {
    const gone = await listen(() => undefined);
    const url = gone.url;
    await close(gone.server);
    const dead = new Upstream({ url, timeoutMs: 500, connectTimeoutMs: 500, publicOrigin: 'http://p' });
    const target = await listen((req, res) => {
      dead.forward(res, 'GET', req.url ?? '/', {}, null).then(
        () => assert.fail('expected a rejection'),
        (err: UpstreamError) => {
          res.writeHead(err.status);
          res.end(err.message);
        },
      );
    });
    try {
      const r = await send(target.url, '/rest/x');
      assert.equal(r.status, 502);
      assert.match(r.body.toString(), /could not be reached/);
    } finally {
      await dead.close();
      await close(target.server);
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
