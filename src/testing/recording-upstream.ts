/**
 * A real upstream process for black-box tests: it answers every request with JSON and records
 * what it received (method, path, query, headers, body), readable at `GET /__records` and
 * cleared with `DELETE /__records`. Special paths:
 * - `/rest/test/slow?ms=N` waits N ms before answering (timeouts),
 * - `/rest/test/redirect` answers 302 with a Location pointing at this upstream,
 * - `/rest/test/status/NNN` answers with status NNN.
 * Run: `node --import tsx src/testing/recording-upstream.ts` — prints `upstream listening on PORT`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const records: Received[] = [];

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const url = req.url ?? '/';
    if (url === '/__records') {
      if (req.method === 'DELETE') records.length = 0;
      const text = JSON.stringify(req.method === 'DELETE' ? [] : records);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(text);
      return;
    }
    const body = Buffer.concat(chunks).toString('utf8');
    records.push({ method: req.method ?? '', url, headers: req.headers, body });
    const path = url.split('?')[0] ?? '';
    const reply = (status: number, extra: Record<string, string> = {}) => {
      const text = JSON.stringify({ ok: true, method: req.method, url, bodyLength: body.length });
      res.writeHead(status, { 'content-type': 'application/json', 'set-cookie': 'upstream=1', ...extra });
      res.end(text);
    };
    if (path === '/rest/test/slow') {
      const ms = Number(new URL(url, 'http://x').searchParams.get('ms') ?? '1000');
      setTimeout(() => reply(200), ms);
      return;
    }
    if (path === '/rest/test/redirect') {
      const address = server.address() as AddressInfo;
      reply(302, { location: `http://127.0.0.1:${address.port}/rest/api/space/NEW` });
      return;
    }
    const status = /^\/rest\/test\/status\/(\d{3})$/.exec(path);
    reply(status ? Number(status[1]) : 200);
  });
});

server.keepAliveTimeout = 10_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address() as AddressInfo;
  process.stdout.write(`upstream listening on ${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
