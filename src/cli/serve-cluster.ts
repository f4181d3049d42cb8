import cluster, { type Worker } from 'node:cluster';
import type { RootLogger } from '../log/logger.js';

/** Message a worker sends its primary once it listens. */
export interface ListeningMessage {
  readonly kind: 'tokengate-listening';
  readonly url: string;
}

export interface ServeClusterOptions {
  readonly workers: number;
  /** Where the primary logs `listening on URL (N workers)` (once, when every worker listens) and worker exits. */
  readonly log: RootLogger;
}

/** A worker that dies on its own is restarted, but not more often than this. */
const RESTART_DELAY_MS = 1000;

function isListening(message: unknown): message is ListeningMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { kind?: unknown }).kind === 'tokengate-listening' &&
    typeof (message as { url?: unknown }).url === 'string'
  );
}

/**
 * The primary of `tokengate serve --workers N`: forks N workers (each runs the whole gateway
 * and shares the listening port through node:cluster; they share nothing else but the
 * database), prints `listening on URL` once all of them listen, restarts a worker that dies
 * while serving, and on SIGTERM/SIGINT stops every worker gracefully. Resolves with the exit
 * code: 0 after a clean stop, 1 when a worker could not start.
 *
 * @example
 * if (cluster.isPrimary && config.workers > 1) return runServeCluster({ workers: config.workers, … });
 */
export function runServeCluster(options: ServeClusterOptions): Promise<number> {
  return new Promise((resolve) => {
    let listening = 0;
    let started = false;
    let stopping = false;
    let failed = false;
    const live = new Set<Worker>();

    const fork = (): void => {
      const worker = cluster.fork();
      live.add(worker);
      worker.on('message', (message: unknown) => {
        if (!isListening(message) || started) return;
        listening++;
        if (listening === options.workers) {
          started = true;
          options.log.always(`listening on ${message.url} (${options.workers} workers)`, {
            url: message.url,
            workers: options.workers,
          });
        }
      });
      worker.on('exit', (code, signal) => {
        live.delete(worker);
        if (stopping && code !== 0 && signal !== 'SIGTERM') failed = true;
        if (!stopping && !started) {
          // a worker could not start (bad port, database refused…): stop them all
          options.log.error(`a worker exited with ${signal ?? code} while starting; stopping`, { worker: worker.id });
          failed = true;
          stop();
        } else if (!stopping) {
          options.log.error(`worker ${worker.id} exited with ${signal ?? code}; restarting it`, { worker: worker.id });
          setTimeout(() => {
            if (!stopping) fork();
          }, RESTART_DELAY_MS).unref();
        }
        if (stopping && live.size === 0) {
          options.log.flush();
          resolve(failed ? 1 : 0);
        }
      });
    };

    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      if (live.size === 0) resolve(failed ? 1 : 0);
      for (const worker of live) worker.process.kill('SIGTERM');
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    // every worker reloads its TLS certificate
    process.on('SIGHUP', () => {
      for (const worker of live) worker.process.kill('SIGHUP');
    });
    for (let i = 0; i < options.workers; i++) fork();
  });
}

/** In a worker, after a graceful stop: closes the channel to the primary so the process can exit. */
export function leaveCluster(): void {
  if (cluster.isWorker) process.disconnect?.();
}

/** In a worker: tells the primary this worker listens on `url`. */
export function reportListening(url: string): void {
  if (cluster.isWorker) process.send?.({ kind: 'tokengate-listening', url } satisfies ListeningMessage);
}
