/** Where a CLI command reads and writes; black-box tests run the real process, unit tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Everything on standard input, as UTF-8. */
  readonly readStdin: () => Promise<string>;
  /** True when standard input is a terminal (a person types). */
  readonly stdinIsTty: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The real process: stdout, stderr, stdin and environment. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => readAll(process.stdin),
    stdinIsTty: process.stdin.isTTY === true,
    env: process.env,
  };
}

/**
 * A secret (password, token) from standard input: everything up to the end, without the one
 * final line break. Prompts on stderr when a person types it.
 */
export async function readSecretFromStdin(io: CliIo, what: string): Promise<string> {
  if (io.stdinIsTty) io.stderr(`type the ${what}, then Enter and Ctrl-D:\n`);
  return (await io.readStdin()).replace(/\r?\n$/, '');
}
