/**
 * tokengate's log: pino, one JSON line per event (`{"level":"info","time":"…","pid":…,"msg":"…",…}`)
 * on stderr, written asynchronously (a log line never blocks a call). Callers pass fixed messages
 * and plain fields; nothing that could hold a secret (headers, bodies, credentials) is ever given
 * to it, and pino's `redact` blanks authorization, cookie, password, secret and token fields as a
 * second line of defence.
 */
import { pino } from 'pino';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

/** The process's logger: also events written whatever the level, and a flush for shutdown. */
export interface RootLogger extends Logger {
  /** Whether `debug` lines are written (to skip building their fields otherwise). */
  readonly debugEnabled: boolean;
  /** Written at `info` whatever `logLevel` (`listening on …`: scripts and supervisors wait for it). */
  always(message: string, fields?: Record<string, unknown>): void;
  /** Writes what is buffered (at shutdown). */
  flush(): void;
}

/** Field names blanked wherever they appear (top level and one level down). */
const REDACTED_FIELDS = ['authorization', 'cookie', 'set-cookie', 'password', 'secret', 'token', 'proxy-authorization'];
export const REDACT_PATHS: readonly string[] = Object.freeze([
  ...REDACTED_FIELDS.map((name) => `["${name}"]`),
  ...REDACTED_FIELDS.map((name) => `*["${name}"]`),
  ...REDACTED_FIELDS.map((name) => `headers["${name}"]`),
  ...REDACTED_FIELDS.map((name) => `req.headers["${name}"]`),
]);

/**
 * A logger that writes lines at `level` and above to `write` (tests: each line, synchronously)
 * or to stderr (asynchronously; `flush` at shutdown).
 */
export function createLogger(level: LogLevel, write?: (line: string) => void): RootLogger {
  const destination =
    write === undefined ? pino.destination({ dest: 2, sync: false }) : { write: (line: string) => write(line) };
  const base = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    },
    destination,
  );
  const lifecycle = base.child({}, { level: 'info' });
  const at =
    (lineLevel: LogLevel, target: pino.Logger = base) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (fields === undefined) target[lineLevel](message);
      else target[lineLevel](fields, message);
    };
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    debugEnabled: base.isLevelEnabled('debug'),
    always: at('info', lifecycle),
    flush: () => {
      if ('flushSync' in destination) {
        try {
          destination.flushSync();
        } catch {
          // not ready yet (nothing written): nothing to flush
        }
      }
    },
  };
}

/** The error's class and message only — never its stack or properties (they may hold request data). */
export function describeError(err: unknown): { error: string } {
  if (err instanceof Error) return { error: `${err.name}: ${err.message}` };
  return { error: String(err) };
}
