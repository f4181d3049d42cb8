/**
 * A small structured logger: one JSON line per event on stderr. Callers pass fixed messages
 * and plain fields; nothing that could hold a secret (headers, bodies, credentials) is ever
 * given to it.
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that writes lines at `level` and above to `write` (default: stderr). */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const at =
    (lineLevel: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}): void => {
      if (ORDER[lineLevel] > ORDER[level]) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level: lineLevel, message, ...fields })}\n`);
    };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** The error's class and message only — never its stack or properties (they may hold request data). */
export function describeError(err: unknown): { error: string } {
  if (err instanceof Error) return { error: `${err.name}: ${err.message}` };
  return { error: String(err) };
}
