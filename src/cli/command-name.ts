import { sep } from 'node:path';

/**
 * How a person runs this CLI, for the commands tokengate prints: `tokengate` when it was
 * installed as a package (`npm install -g`, which puts it on PATH), `npx tokengate` inside a
 * clone (where nothing is on PATH, but npm finds the project's own command).
 */
export function commandName(cliDir: string = import.meta.dirname): string {
  return cliDir.includes(`${sep}node_modules${sep}`) ? 'tokengate' : 'npx tokengate';
}
