import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { sendError } from '../http/send.js';

/** Where `npm run build:page` puts the page: `dist/page-ui` of the project (from `src/page` or `dist/page`). */
export const DEFAULT_ASSETS_DIR = resolve(import.meta.dirname, '../../dist/page-ui');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>tokengate</title>
<p>The REST API Tokens page is not built. Run <code>npm run build</code> (or <code>npm run build:page</code>) and reload.</p></html>`;

/**
 * Serves the built page: hashed files under `assets/` cached forever, everything else
 * revalidated; any other one-level path is the single-page app (`index.html`, revalidated). Only plain
 * file names are looked up (no dot segments, no hidden files).
 *
 * @example
 * const assets = new StaticAssets('/srv/tokengate/dist/page-ui');
 * await assets.serve(req, res, 'assets/index-3f2a.js');
 */
export class StaticAssets {
  readonly #dir: string;
  /** Hashed assets never change: read once. */
  readonly #immutable = new Map<string, Asset>();

  constructor(dir: string) {
    this.#dir = resolve(dir);
  }

  /** Serves `relative` (the path after `/tokengate/`, no leading slash). */
  async serve(req: IncomingMessage, res: ServerResponse, relative: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 'method_not_allowed', 'method not allowed', { allow: 'GET, HEAD' });
      return;
    }
    const segments = relative === '' ? [] : relative.split('/');
    const safe = segments.every((s) => SEGMENT.test(s));
    if (segments[0] === 'assets') {
      const asset = safe && segments.length === 2 ? await this.#hashed(relative) : null;
      if (asset === null) return notFound(res);
      return send(req, res, asset, IMMUTABLE);
    }
    if (safe && segments.length === 1 && extname(relative) !== '' && relative !== 'index.html') {
      const file = await this.#read(relative);
      if (file !== null) return send(req, res, file, REVALIDATE);
      return notFound(res);
    }
    // the app's views are one level deep (`/tokengate/audit`); its asset URLs are relative to that
    if (segments.length > 1) return notFound(res);
    const index = await this.#read('index.html');
    if (index === null) {
      res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : NOT_BUILT);
      return;
    }
    send(req, res, index, REVALIDATE);
  }

  async #hashed(relative: string): Promise<Asset | null> {
    const cached = this.#immutable.get(relative);
    if (cached !== undefined) return cached;
    const asset = await this.#read(relative);
    if (asset !== null && this.#immutable.size < 1000) this.#immutable.set(relative, asset);
    return asset;
  }

  async #read(relative: string): Promise<Asset | null> {
    const type = CONTENT_TYPES[extname(relative).toLowerCase()];
    if (type === undefined) return null;
    const file = join(this.#dir, relative);
    if (!file.startsWith(this.#dir + '/') && !file.startsWith(this.#dir + '\\')) return null;
    try {
      const body = await readFile(file);
      return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
    } catch {
      return null;
    }
  }
}

function send(req: IncomingMessage, res: ServerResponse, asset: Asset, cacheControl: string): void {
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, { etag: asset.etag, 'cache-control': cacheControl });
    res.end();
    return;
  }
  res.writeHead(200, {
    'content-type': asset.type,
    'content-length': asset.body.length,
    etag: asset.etag,
    'cache-control': cacheControl,
  });
  res.end(req.method === 'HEAD' ? undefined : asset.body);
}

function notFound(res: ServerResponse): void {
  sendError(res, 'not_found', 'not found');
}
