/** Builds src/'s import graph with madge and finds cycles in it, between files and between top folders. */
import madge from 'madge';

export interface ImportGraph {
  /** File (relative to src/, e.g. `gateway/gateway.ts`) → the files it imports. */
  readonly files: ReadonlyMap<string, readonly string[]>;
  /** File-level cycles as madge finds them, each a list of files. */
  readonly cycles: readonly (readonly string[])[];
  /** Imports madge could not resolve to a file (packages it does not follow, or broken paths). */
  readonly unresolved: readonly string[];
}

/** The import graph of the `.ts`/`.tsx` files under `srcDir` (declaration files left out). */
export async function importGraph(srcDir: string, tsConfig: string): Promise<ImportGraph> {
  const result = await madge(srcDir, {
    fileExtensions: ['ts', 'tsx'],
    tsConfig,
    excludeRegExp: [/\.d\.ts$/],
    // `import type` counts: a type-only dependency ties the folders together just the same
    detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
  });
  return {
    files: new Map(Object.entries(result.obj())),
    cycles: result.circular(),
    unresolved: result.warnings().skipped,
  };
}

/** Each file cycle as `a.ts → b.ts → a.ts`. */
export function fileCycles(graph: ImportGraph): string[] {
  return graph.cycles.map((cycle) => [...cycle, cycle[0]].join(' → '));
}

/** Test files and their helpers: nothing imports them, so they may import any folder. */
function isTest(file: string): boolean {
  return /\.test(-helpers)?\.tsx?$/.test(file);
}

/** `gateway` for `gateway/gateway.ts`; `.` for a file directly in src/. */
function topFolder(file: string): string {
  const slash = file.indexOf('/');
  return slash === -1 ? '.' : file.slice(0, slash);
}

/**
 * Each cycle between top folders (files collapsed to their folder, test files left out), as
 * `admin → gateway → admin` followed by one import that makes each step, shortest cycle per
 * folder edge, each cycle once.
 */
export function folderCycles(graph: ImportGraph): string[] {
  // folder → folder → one file import that makes the edge
  const edges = new Map<string, Map<string, string>>();
  for (const [file, imports] of graph.files) {
    if (isTest(file)) continue;
    const from = topFolder(file);
    for (const imported of imports) {
      const to = topFolder(imported);
      if (to === from) continue;
      let out = edges.get(from);
      if (out === undefined) {
        out = new Map();
        edges.set(from, out);
      }
      if (!out.has(to)) out.set(to, `${file} → ${imported}`);
    }
  }
  const found = new Map<string, string>();
  for (const [from, out] of edges) {
    for (const to of out.keys()) {
      const back = shortestPath(edges, to, from);
      if (back === null) continue;
      const cycle = [from, ...back];
      const steps = cycle.slice(0, -1).map((folder, i) => edges.get(folder)?.get(cycle[i + 1] as string) ?? '?');
      // the same cycle found from another of its edges: keep it once (rotation starting at the least folder)
      const ring = cycle.slice(0, -1);
      const start = ring.indexOf([...ring].sort()[0] as string);
      const key = [...ring.slice(start), ...ring.slice(0, start)].join(' → ');
      if (!found.has(key)) found.set(key, `${cycle.join(' → ')}   (${steps.join('; ')})`);
    }
  }
  return [...found.values()];
}

/** The folders from `from` to `to` (both included), fewest steps first, or null when `to` cannot be reached. */
function shortestPath(
  edges: ReadonlyMap<string, ReadonlyMap<string, string>>,
  from: string,
  to: string,
): string[] | null {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const folder = queue[i] as string;
    if (folder === to) {
      const path: string[] = [];
      for (let at: string | null = to; at !== null; at = previous.get(at) ?? null) path.unshift(at);
      return path;
    }
    for (const next of edges.get(folder)?.keys() ?? []) {
      if (previous.has(next)) continue;
      previous.set(next, folder);
      queue.push(next);
    }
  }
  return null;
}
