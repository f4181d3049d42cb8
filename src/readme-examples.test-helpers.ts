/**
 * The README's code blocks and their run markers (see the comment at the top of README.md and
 * `readme-examples.test.ts`), and the one bash script that runs them. Test support only (not built).
 */

/** What the line before a block says about running it. */
export type BlockMarker =
  | { readonly kind: 'run' }
  | { readonly kind: 'not-run'; readonly reason: string }
  | { readonly kind: 'background'; readonly readyUrl: string }
  | { readonly kind: 'file'; readonly name: string };

export interface ReadmeBlock {
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly text: string;
  readonly marker: BlockMarker;
}

const MARKER = /^<!--\s*(.*?)\s*-->$/;

/** The marker a comment line holds, null for a line that is none, or an error for a malformed one. */
function markerOf(line: string): BlockMarker | null | { readonly error: string } {
  const comment = MARKER.exec(line.trim());
  if (comment === null) return null;
  const text = comment[1] ?? '';
  const notRun = /^not run: (.+)$/.exec(text);
  if (notRun !== null) return { kind: 'not-run', reason: notRun[1] as string };
  const background = /^run: in the background until (\S+) answers$/.exec(text);
  if (background !== null) return { kind: 'background', readyUrl: background[1] as string };
  const file = /^run: file ([\w.-]+)$/.exec(text);
  if (file !== null) return { kind: 'file', name: file[1] as string };
  if (/^(not )?run\b/.test(text)) return { error: `unknown marker "${text}"` };
  return null;
}

/** The sh, bash and js blocks of a Markdown text with their markers. @throws Error for a malformed marker */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  let previous = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const fence = /^```(\w*)\s*$/.exec(line);
    if (fence === null) {
      if (line.trim() !== '') previous = line;
      continue;
    }
    const lang = fence[1] ?? '';
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] as string).startsWith('```'); i++) body.push(lines[i] as string);
    const found = markerOf(previous);
    previous = '';
    if (found !== null && 'error' in found) throw new Error(`README.md line ${start}: ${found.error}`);
    if (!['sh', 'bash', 'js', 'javascript'].includes(lang)) continue;
    blocks.push({ line: start + 1, lang, text: body.join('\n'), marker: found ?? { kind: 'run' } });
  }
  return blocks;
}

/** Single-quoted for bash. */
function quoted(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * One bash script that runs the blocks in order (stopping at the first failing command, naming
 * its block): sh blocks as written, background ones in a subshell of their own until their URL
 * answers (any HTTP status), file blocks written out and syntax-checked, other js blocks
 * syntax-checked. `ports` maps a port written in the README to the one used.
 */
export function readmeScript(blocks: readonly ReadmeBlock[], ports: ReadonlyMap<string, number>): string {
  const withPorts = (text: string): string => {
    let out = text;
    for (const [written, used] of ports) out = out.replaceAll(`127.0.0.1:${written}`, `127.0.0.1:${used}`);
    return out;
  };
  const out = ['set -eo pipefail', 'BLOCK=none', `trap 'echo "README.md block at line $BLOCK failed" >&2' ERR`];
  for (const block of blocks) {
    const marker = block.marker;
    if (marker.kind === 'not-run') continue;
    out.push(`BLOCK=${block.line}`, `echo "=== README.md block at line ${block.line}" >&2`);
    const isJs = block.lang === 'js' || block.lang === 'javascript';
    if (marker.kind === 'file') {
      out.push(`printf '%s\\n' ${quoted(block.text)} > ${quoted(marker.name)}`, `node --check ${quoted(marker.name)}`);
    } else if (isJs) {
      out.push(`printf '%s\\n' ${quoted(block.text)} > readme-block-${block.line}.mjs`);
      out.push(`node --check readme-block-${block.line}.mjs`);
    } else if (marker.kind === 'background') {
      const log = `readme-background-${block.line}.log`;
      out.push(`( ${withPorts(block.text)}\n) > ${log} 2>&1 &`);
      out.push(
        `for attempt in $(seq 1 600); do curl -s -o /dev/null ${quoted(withPorts(marker.readyUrl))} && break; ` +
          `if [ "$attempt" = 600 ]; then cat ${log} >&2; false; fi; sleep 0.2; done`,
      );
    } else {
      out.push(withPorts(block.text));
    }
  }
  out.push('echo "=== every README.md block ran" >&2');
  return `${out.join('\n')}\n`;
}
