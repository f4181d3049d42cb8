import pg from 'pg';
import type { FeedSignal, FeedSignalHandle } from '../dialect-hooks.js';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;

/**
 * `LISTEN channel` on a dedicated connection; every notification (and every reconnect, to
 * catch up on what was missed) calls `wake`. A lost connection is re-opened with exponential
 * backoff (250 ms … 10 s) until `stop()`.
 *
 * @example
 * const signal = pgListener({ connectionString }, 'tokengate_changes');
 * const handle = signal(() => feed.wake());
 */
export function pgListener(config: pg.ClientConfig, channel: string): FeedSignal {
  return (wake): FeedSignalHandle => {
    let client: pg.Client | undefined;
    let stopped = false;
    let delay = FIRST_RETRY_MS;
    let timer: NodeJS.Timeout | undefined;

    const retry = (): void => {
      if (stopped) return;
      timer = setTimeout(() => void connect(), delay);
      timer.unref();
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    };

    const connect = async (): Promise<void> => {
      if (stopped) return;
      const c = new pg.Client(config);
      c.on('error', () => {
        // followed by 'end'; reconnect happens there
      });
      c.on('notification', () => wake());
      c.on('end', () => {
        if (client !== c) return;
        client = undefined;
        retry();
      });
      try {
        await c.connect();
        await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      } catch {
        c.end().catch(() => {});
        retry();
        return;
      }
      if (stopped) {
        await c.end().catch(() => {});
        return;
      }
      client = c;
      delay = FIRST_RETRY_MS;
      wake();
    };

    void connect();
    return {
      async stop(): Promise<void> {
        stopped = true;
        if (timer !== undefined) clearTimeout(timer);
        const c = client;
        client = undefined;
        await c?.end().catch(() => {});
      },
    };
  };
}
