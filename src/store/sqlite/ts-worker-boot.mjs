// Starts a TypeScript worker thread when tokengate runs from source (tests, benchmarks, tsx):
// tsx's `--import` hooks do not reach worker threads on Node 20, so the worker registers them
// itself before loading its entry. The built package (dist/) starts the compiled .js directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
