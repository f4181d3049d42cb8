/**
 * The import graph of src/ has no cycle: none between files, and none between top folders
 * (`gateway/` may import `admin/`, but then nothing in `admin/` imports `gateway/`). The graph is
 * built by madge from the real imports, type-only imports included.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileCycles, folderCycles, type ImportGraph, importGraph } from './architecture.test-helpers.js';

const ROOT = join(import.meta.dirname, '..');

describe('architecture: the import graph of src/', () => {
  let graph: ImportGraph;

  before(async () => {
    graph = await importGraph(join(ROOT, 'src'), join(ROOT, 'tsconfig.json'));
  });

  test('covers the whole tree: every relative import resolves to a file', () => {
    assert.ok(graph.files.size > 200, `only ${graph.files.size} files found`);
    assert.ok(graph.files.has('app/start-gateway.ts') && graph.files.has('page/ui/app.tsx'));
    assert.deepEqual(
      graph.unresolved.filter((name) => name.startsWith('.')),
      [],
    );
  });

  test('has no import cycle between files', () => {
    const cycles = fileCycles(graph);
    assert.equal(cycles.length, 0, `import cycles between files:\n${cycles.map((c) => `  ${c}`).join('\n')}`);
  });

  test('has no import cycle between top folders (tests excluded: nothing imports them)', () => {
    const cycles = folderCycles(graph);
    assert.equal(cycles.length, 0, `import cycles between folders:\n${cycles.map((c) => `  ${c}`).join('\n')}`);
  });
});
