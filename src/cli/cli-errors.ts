import { StartupError } from '../config/startup-error.js';
import { HttpError } from '../http/http-error.js';

/** A bad command line: printed on one line with where to find the usage, exit code 2. */
export class UsageError extends Error {
  /** The help to point at (`tokengate token --help`). */
  readonly helpCommand: string;

  constructor(message: string, helpCommand = 'tokengate --help') {
    super(message);
    this.name = 'UsageError';
    this.helpCommand = helpCommand;
  }
}

/** A command that could not do its work (bad value, unknown user…): one line, exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/**
 * What to print for `err` (one line, `tokengate: …`) and the exit code: 2 for usage errors,
 * 1 for everything else. Unexpected errors show their message only, never a stack.
 */
export function describeCliError(err: unknown): { readonly line: string; readonly exitCode: number } {
  if (err instanceof UsageError) {
    return { line: `tokengate: ${oneLine(err.message)} (see: ${err.helpCommand})\n`, exitCode: 2 };
  }
  const known = err instanceof HttpError || err instanceof CliError || err instanceof StartupError;
  const message = err instanceof Error ? err.message : String(err);
  return { line: `tokengate: ${known ? '' : 'error: '}${oneLine(message)}\n`, exitCode: 1 };
}
