/**
 * A real webhook receiver for black-box tests: a `node:http` server on 127.0.0.1 that records
 * every POST (headers and the exact body bytes) and answers with the status the test chooses.
 * It can be started on a port reserved before (a receiver that is down, then comes up).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { freePort } from './real-servers.js';

export interface ReceivedEvent {
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as received. */
  readonly raw: Buffer;
  // biome-ignore lint/suspicious/noExplicitAny: test code reads whatever JSON came
  readonly json: any;
  /** The status this request was answered with. */
  readonly answered: number;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly port: number;
  /** Every request received, in order (including those answered with an error). */
  readonly received: ReceivedEvent[];
  /** Status of the next answers (default 204). */
  answerWith(status: number): void;
  /** Starts listening (for a receiver made with `listen: false`). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** True when `signature` is `sha256=<hex HMAC-SHA-256 of raw with secret>` (the receiver's check). */
export function validSignature(raw: Buffer, signature: string | string[] | undefined, secret: string): boolean {
  if (typeof signature !== 'string') return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A receiver on a free port of 127.0.0.1; with `listen: false` the port is reserved but closed until `start()`. */
export async function startWebhookReceiver(options: { listen?: boolean } = {}): Promise<WebhookReceiver> {
  const port = await freePort();
  const received: ReceivedEvent[] = [];
  let status = 204;
  let server: Server | null = null;
  const start = async (): Promise<void> => {
    if (server !== null) return;
    const listening = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        let json: unknown = null;
        try {
          json = JSON.parse(raw.toString('utf8'));
        } catch {
          json = null;
        }
        received.push({ headers: req.headers, raw, json, answered: status });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(port, '127.0.0.1', () => resolve());
    });
    server = listening;
  };
  if (options.listen !== false) await start();
  return {
    url: `http://127.0.0.1:${port}/hooks/tokengate`,
    port,
    received,
    answerWith(next) {
      status = next;
    },
    start,
    async stop() {
      const running = server;
      server = null;
      if (running === null) return;
      running.closeAllConnections();
      await new Promise<void>((resolve) => running.close(() => resolve()));
    },
  };
}

/** The events of `receiver` of `type` about token `tokenId` that it accepted (2xx). */
export function accepted(receiver: WebhookReceiver, type: string, tokenId: string): ReceivedEvent[] {
  return receiver.received.filter((e) => e.answered < 300 && e.json?.type === type && e.json?.token?.id === tokenId);
}
