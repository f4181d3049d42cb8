/** The start and the end every benchmark script shares: signals, cleanup, exit code. */

/** A progress line on stderr (stdout carries only the results). */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

let stopping = false;

/** True once SIGINT/SIGTERM started stopping the benchmark (errors after that are expected). */
export function benchStopping(): boolean {
  return stopping;
}

export interface BenchLifecycle {
  /** Name in error messages (`bench:lookup`). */
  readonly name: string;
  /** The benchmark; resolves with the exit code. */
  readonly main: () => Promise<number>;
  /** Stops what the benchmark started and removes its temporary files (after main, or on a signal). */
  readonly shutdown: () => Promise<void>;
  /** Last resort on process exit: kill what is left, synchronously. */
  readonly atExit: () => void;
}

/**
 * Runs a benchmark script: SIGINT/SIGTERM stop every process it started before exiting, an error
 * is printed with its stack, and the exit code is main's.
 *
 * @example
 * runBench({ name: 'bench:lookup', main, shutdown: () => processes.stopAll(), atExit: () => processes.killAllSync() });
 */
export function runBench(lifecycle: BenchLifecycle): void {
  const onSignal = (signal: NodeJS.Signals, code: number): void => {
    if (stopping) return;
    stopping = true;
    progress(`\n${signal}: stopping every process the benchmark started…`);
    lifecycle.shutdown().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => onSignal('SIGINT', 130));
  process.once('SIGTERM', () => onSignal('SIGTERM', 143));
  process.once('exit', lifecycle.atExit);
  lifecycle
    .main()
    .then(async (code) => {
      if (stopping) return;
      await lifecycle.shutdown();
      process.exit(code);
    })
    .catch(async (err: unknown) => {
      if (stopping) return;
      process.stderr.write(`${lifecycle.name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      await lifecycle.shutdown();
      process.exit(1);
    });
}
