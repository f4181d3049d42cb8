/**
 * Row 2: the bare passthrough proxy on tokengate's own stack — Node `http` and an `undici` Pool,
 * `pool.stream()` writing straight into the response, same Pool options as src/gateway/forward.ts.
 * No auth, no rules, no audit: what the stack costs before tokengate adds anything.
 * Run: node --import tsx bench/lib/passthrough-proxy.ts PORT UPSTREAM_URL → prints `listening on http://…`
 */
import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { type Dispatcher, Pool } from 'undici';

/** Hop-by-hop headers, never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
]);

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

function main(): void {
  const port = Number(process.argv[2] ?? 0);
  const upstream = process.argv[3];
  if (upstream === undefined) throw new Error('usage: passthrough-proxy.ts PORT UPSTREAM_URL');
  const pool = new Pool(new URL(upstream).origin, { connections: 128, pipelining: 1, keepAliveTimeout: 4_000 });

  const server = createServer((req, res) => {
    const length = req.headers['content-length'];
    const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    pool.stream(
      {
        path: req.url ?? '/',
        method: (req.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: forwardable(req.headers),
        body: hasBody ? req : null,
        opaque: res,
      },
      ({ statusCode, headers, opaque }) => {
        opaque.writeHead(statusCode, forwardable(headers) as OutgoingHttpHeaders);
        return opaque;
      },
      (err) => {
        if (err === null) return;
        if (res.headersSent) {
          res.destroy();
          return;
        }
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end('{"status":"error","message":"upstream failed"}');
      },
    );
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', () => {
    const { port: actual } = server.address() as AddressInfo;
    process.stdout.write(`listening on http://127.0.0.1:${actual}\n`);
  });
  const stop = () => {
    server.close(() => {
      pool.close().finally(() => process.exit(0));
    });
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
