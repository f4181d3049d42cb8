import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small, Confluence-shaped sample REST API for `tokengate serve --demo`. It is a demo: it keeps
 * its data in memory, trusts the identity header tokengate sends, and nothing in the product
 * depends on it.
 */
interface Space {
  key: string;
  name: string;
  type: 'global';
}
interface Content {
  id: string;
  type: string;
  title: string;
  space: { key: string };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1_048_576) throw new Error('body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : JSON.parse(text);
}

function createDemoHandler(identityHeader: string) {
  const spaces: Space[] = [
    { key: 'DEMO', name: 'Demo space', type: 'global' },
    { key: 'PM', name: 'Project management', type: 'global' },
    { key: 'EXTENDER', name: 'Extender', type: 'global' },
  ];
  const contents: Content[] = [
    { id: '1001', type: 'page', title: 'Welcome to tokengate', space: { key: 'DEMO' } },
    { id: '1002', type: 'page', title: 'Roadmap', space: { key: 'PM' } },
  ];
  let nextId = 2000;
  const header = identityHeader.toLowerCase();

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    const path = url.pathname;
    const caller = req.headers[header];
    const user = typeof caller === 'string' ? caller : 'anonymous';
    if (req.method === 'GET' && path === '/rest/api/space') {
      return send(res, 200, { results: spaces, size: spaces.length });
    }
    const spaceMatch = /^\/rest\/api\/space\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && spaceMatch) {
      const space = spaces.find((s) => s.key === spaceMatch[1]);
      return space ? send(res, 200, space) : send(res, 404, { statusCode: 404, message: 'No space found' });
    }
    if (req.method === 'GET' && (path === '/rest/api/content' || path === '/rest/api/content/')) {
      const spaceKey = url.searchParams.get('spaceKey');
      const title = url.searchParams.get('title');
      const results = contents.filter((c) => (!spaceKey || c.space.key === spaceKey) && (!title || c.title === title));
      return send(res, 200, { results, size: results.length });
    }
    if (req.method === 'POST' && (path === '/rest/api/content' || path === '/rest/api/content/')) {
      const body = (await readBody(req)) as Partial<Content>;
      const created: Content = {
        id: String(nextId++),
        type: String(body.type ?? 'page'),
        title: String(body.title ?? 'Untitled'),
        space: { key: String(body.space?.key ?? 'DEMO') },
      };
      contents.push(created);
      return send(res, 200, created);
    }
    if (req.method === 'GET' && path === '/rest/api/user/current') {
      return send(res, 200, { type: 'known', username: user, displayName: user });
    }
    const detailsMatch = /^\/rest\/extender\/1\.0\/user\/getUserDetails\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && detailsMatch) {
      return send(res, 200, { name: decodeURIComponent(detailsMatch[1] ?? ''), requestedBy: user, active: true });
    }
    send(res, 404, { statusCode: 404, message: `demo API has no ${req.method} ${path}` });
  };
}

export interface DemoUpstream {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the demo REST API on 127.0.0.1 (a free port unless given). */
export async function startDemoUpstream(identityHeader = 'x-forwarded-user', port = 0): Promise<DemoUpstream> {
  const handler = createDemoHandler(identityHeader);
  const server: Server = createServer((req, res) => {
    handler(req, res).catch(() => send(res, 400, { statusCode: 400, message: 'bad request' }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
