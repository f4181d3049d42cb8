/** Builds the page once for the browser tests, which run from sources (no `npm run build`). */
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.js';

/**
 * Builds `dist/page-ui` when it is not there. Two test files may ask at once, so each builds into
 * a directory of its own and renames it into place; the loser of that race keeps the winner's.
 */
export function ensurePageBuilt(): void {
  const target = join(ROOT, 'dist/page-ui');
  if (existsSync(join(target, 'index.html'))) return;
  const own = `${target}.build-${process.pid}`;
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'src/page/ui/vite.config.ts', '--outDir', own, '--emptyOutDir'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`the page could not be built:\n${result.stdout}\n${result.stderr}`);
  try {
    renameSync(own, target);
  } catch {
    rmSync(own, { recursive: true, force: true });
  }
  if (!existsSync(join(target, 'index.html'))) throw new Error('the page could not be built: no dist/page-ui');
}
