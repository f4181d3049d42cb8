import { CliError } from './cli-errors.js';

/** Where a CLI command reads and writes; black-box tests run the real process, unit tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Everything on standard input, as UTF-8. */
  readonly readStdin: () => Promise<string>;
  /** True when standard input is a terminal (a person types). */
  readonly stdinIsTty: boolean;
  /**
   * Reads one line typed at the terminal without showing it (raw mode, nothing echoed), after
   * writing `prompt` to stderr. Only when `stdinIsTty`.
   */
  readonly readHiddenLine?: (prompt: string) => Promise<string>;
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
    readHiddenLine: (prompt) => readHiddenLine(process.stdin, process.stderr, prompt),
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

/**
 * One line from a terminal, not echoed: raw mode, so the terminal shows nothing of what is typed;
 * Backspace removes a character, Enter ends the line, Ctrl-C and Ctrl-D end it with an error.
 */
function readHiddenLine(input: NodeJS.ReadStream, output: NodeJS.WriteStream, prompt: string): Promise<string> {
  output.write(prompt);
  return new Promise((resolve, reject) => {
    let line = '';
    const done = (err: Error | null) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (err === null) resolve(line);
      else reject(err);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003' || ch === '\u0004') return done(new CliError('cancelled: no password was set'));
        if (ch === '\u007f' || ch === '\b') line = [...line].slice(0, -1).join('');
        else if (ch >= ' ') line += ch;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}

/**
 * A new password typed at a terminal: asked twice without echo, refused when the two differ.
 * Without a terminal reader (tests), falls back to standard input.
 */
export async function readNewPasswordHidden(io: CliIo): Promise<string> {
  if (io.readHiddenLine === undefined) return readSecretFromStdin(io, 'new password');
  const first = await io.readHiddenLine('new password (not shown): ');
  const again = await io.readHiddenLine('the same password again: ');
  if (first !== again) throw new CliError('the two passwords differ: nothing was changed');
  return first;
}
