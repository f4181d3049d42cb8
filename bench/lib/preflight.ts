import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { WrkRequest } from './wrk.js';

/**
 * Sends the row's request once and checks that the upstream's reply came back unchanged (status
 * 200, same body): a proxy answering 401 or 403 quickly must never be measured as fast.
 * Returns null when it did, else what came back.
 */
export function preflight(req: WrkRequest, expectedBody: string): Promise<string | null> {
  const url = new URL(req.url);
  if (url.hostname !== '127.0.0.1') return Promise.resolve(`refusing ${url.host}: only 127.0.0.1 is a target`);
  const body = req.bodyFile === null ? null : readFileSync(req.bodyFile);
  const headers: Record<string, string> = {};
  if (req.authorization !== null) headers.authorization = req.authorization;
  if (body !== null) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(body.length);
  }
  return new Promise((resolve) => {
    const outgoing = httpRequest(
      { host: '127.0.0.1', port: url.port, path: url.pathname + url.search, method: req.method, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (err) => resolve(`reading the answer failed: ${err.message}`));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200)
            resolve(`preflight ${req.method} answered ${res.statusCode}: ${text.slice(0, 200)}`);
          else if (text !== expectedBody) resolve(`preflight answered 200 with another body: ${text.slice(0, 200)}`);
          else resolve(null);
        });
      },
    );
    outgoing.setTimeout(15_000, () => outgoing.destroy(new Error('no answer within 15 s')));
    outgoing.on('error', (err) => resolve(`preflight failed: ${err.message}`));
    outgoing.end(body ?? undefined);
  });
}
