/**
 * The benchmark's upstream: Node `http`, a fixed 200 JSON reply. A request body is read to the end
 * (and dropped) before answering, so the 2 MiB POST row measures a complete exchange.
 * Run: node --import tsx bench/lib/upstream-server.ts [port]   → prints `listening on http://127.0.0.1:PORT`
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

/** The exact reply body; the benchmark checks that every target passes it through unchanged. */
export const UPSTREAM_REPLY = JSON.stringify({
  results: [{ id: '65601', type: 'page', status: 'current', title: 'Benchmark page' }],
  start: 0,
  limit: 25,
  size: 1,
});

const body = Buffer.from(UPSTREAM_REPLY);
const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };

function reply(res: ServerResponse): void {
  res.writeHead(200, headers);
  res.end(body);
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function main(): void {
  const port = Number(process.argv[2] ?? 0);
  const server = createServer((req, res) => {
    if (!hasBody(req)) {
      reply(res);
      return;
    }
    req.on('error', () => res.destroy());
    req.on('end', () => reply(res));
    req.resume();
  });
  server.keepAliveTimeout = 65_000; // longer than nginx's and undici's idle timeouts: they close first
  server.listen(port, '127.0.0.1', () => {
    const { port: actual } = server.address() as AddressInfo;
    process.stdout.write(`listening on http://127.0.0.1:${actual}\n`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections(); // idle keep-alive sockets would hold close() open
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
