/**
 * A real upstream process for black-box tests: it answers every request with JSON and records
 * what it received (method, path, query, headers, body), readable at `GET /__records` and
 * cleared with `DELETE /__records`. Special paths:
 * - `/rest/test/slow?ms=N` waits N ms before answering (timeouts),
 * - `/rest/test/redirect` answers 302 with a Location pointing at this upstream,
 * - `/rest/test/status/NNN` answers with status NNN,
 * - `/rest/test/html` answers an HTML page whose script tries to mint an admin token through the
 *   page API with the visitor's session (the response attack; its title tells how far it got),
 * - `/rest/test/reset` sends a 200 head and part of the body, then resets the connection.
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

/** What an upstream page served on tokengate's origin would try: mint an admin token with the visitor's session. */
const ATTACK_PAGE = `<!doctype html><html><head><title>attack not run</title></head><body><p>upstream page</p><script>
document.title = 'attack started';
(async () => {
  const me = await (await fetch('/tokengate/api/me')).json();
  const created = await fetch('/tokengate/api/tokenTools/set', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
    body: JSON.stringify({ label: 'minted by an upstream page', userName: 'admin', daysUntilExpiry: 0, limitTo: '' }),
  });
  document.title = 'attack answered ' + created.status;
})().catch((err) => { document.title = 'attack failed: ' + err; });
</script></body></html>`;

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
    if (path === '/rest/test/html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(ATTACK_PAGE);
      return;
    }
    if (path === '/rest/test/reset') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"partial":');
      setTimeout(() => res.socket?.resetAndDestroy(), 20);
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
