/** Where black-box tests find the tree and the CLI they run (from sources, through tsx). */
import { join, resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../..');

/** The CLI entry point, run as `node --import tsx CLI …`. */
export const CLI = join(ROOT, 'src/cli/main.ts');

/** `node` arguments that run the CLI from sources with `args`. */
export function cliNodeArgs(args: readonly string[]): string[] {
  return ['--import', 'tsx', CLI, ...args];
}

/** The arguments of `tokengate serve` on a free port of 127.0.0.1 over `dataDir`. */
export function serveArgs(dataDir: string, upstream?: string, extra: readonly string[] = []): string[] {
  const args = ['serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir];
  if (upstream !== undefined) args.push('--upstream', upstream);
  return [...args, ...extra];
}
