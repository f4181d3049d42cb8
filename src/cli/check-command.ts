import { parseArgs } from 'node:util';
import { canonicalFromUrl } from '../http/canonical-from-url.js';
import { type JsonNumberText, parseStrictJson } from '../http/strict-json.js';
import {
  describeVerdict,
  dryRunBody,
  evaluate,
  parseLimitTo,
  requestFacts,
  ruleToString,
} from '../restrictions/index.js';
import type { RequestFacts, RuleSet, Verdict } from '../restrictions/types.js';
import { CliError, describeCliError, UsageError } from './cli-errors.js';
import { printable } from './cli-format.js';

const HELP_COMMAND = 'tokengate check --help';

export const CHECK_USAGE = `Usage: tokengate check --limit-to RULES METHOD URL [--body JSON] [--public-url URL]

Says whether a token with these limitTo rules may make this request, and why — the same
engine and the same canonical request as the gateway, without calling anything.

  --limit-to RULES   the rules, one per line (separate lines with a newline, \\n or <br>);
                     '' means unrestricted
  METHOD             GET, POST, … (any case)
  URL                a path (/rest/api/content?spaceKey=PM) or an absolute URL
  --body JSON        the request body, for JsonData parts (no body when absent)
  --public-url URL   the gateway's public URL, for rules on the absolute URL
                     (default: the origin of an absolute URL)
  -h, --help         this text

Exit code: 0 allowed, 1 denied (also a request the gateway would refuse with 400:
a dot segment, a duplicate JSON key…), 2 invalid rules or usage.
`;

const CHECK_OPTIONS = {
  'limit-to': { type: 'string' },
  body: { type: 'string' },
  'public-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What the command decided to check, or why it cannot. */
interface CheckInput {
  readonly ruleSet: RuleSet;
  readonly facts: RequestFacts;
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: CHECK_OPTIONS, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err), HELP_COMMAND);
  }
}

/** The request itself would be refused by the gateway (400): the answer is "no", exit 1. */
class RequestRefused extends CliError {}

function readBody(text: string | undefined): { value: unknown; numberText: JsonNumberText | null } | undefined {
  if (text === undefined) return undefined;
  const parsed = parseStrictJson(text);
  if (!parsed.ok) throw new RequestRefused(`--body is not valid JSON: ${parsed.message}`);
  return { value: parsed.value, numberText: parsed.numberText };
}

function checkPublicUrl(publicUrl: string | undefined): string | null {
  if (publicUrl === undefined) return null;
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new UsageError(`--public-url is not a URL: ${publicUrl}`, HELP_COMMAND);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--public-url must be an http or https URL: ${publicUrl}`, HELP_COMMAND);
  }
  return publicUrl;
}

/** Reads the command line into a rule set and request facts. @throws UsageError, CliError */
function readInput(argv: string[]): CheckInput | 'help' {
  const { values, positionals } = parseCommandLine(argv);
  if (values.help === true) return 'help';
  if (values['limit-to'] === undefined) throw new UsageError('missing --limit-to RULES', HELP_COMMAND);
  if (positionals.length < 2) {
    throw new UsageError(`missing ${positionals.length === 0 ? 'METHOD URL' : 'URL'}`, HELP_COMMAND);
  }
  if (positionals.length > 2)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[2])}`, HELP_COMMAND);
  const [method, url] = positionals as [string, string];

  const parsed = parseLimitTo(values['limit-to']);
  if (!parsed.ok) throw new CliError(`--limit-to: ${parsed.error.message}`);
  const body = readBody(values.body);
  const publicUrl = checkPublicUrl(values['public-url']);
  const canonical = canonicalFromUrl(method, url, publicUrl);
  if (!canonical.ok) throw new RequestRefused(`the gateway would refuse this request (400): ${canonical.message}`);
  // numbers are matched on their source text, as the gateway does
  return {
    ruleSet: parsed.ruleSet,
    facts: requestFacts(canonical.request, dryRunBody(body?.value, body?.numberText ?? null)),
  };
}

/** The verdict as lines for a terminal: the decision, then each rule's reason when denied. */
function verdictLines(verdict: Verdict, ruleSet: RuleSet): string {
  if (verdict.allowed) {
    const rule = ruleSet.rules.find((r) => r.line === verdict.line);
    return `${describeVerdict(verdict)}${rule === undefined ? '' : `: ${printable(ruleToString(rule))}`}\n`;
  }
  const lines = ['denied: no rule allows this request'];
  for (const failure of verdict.failures) lines.push(`  line ${failure.line}: ${printable(failure.reason)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `tokengate check --limit-to RULES METHOD URL [--body JSON] [--public-url URL]`: a dry run of
 * the restriction engine. URL is a path or an absolute URL; its query is decoded (`+` is a space)
 * and its path canonicalised exactly as the gateway does (a request the gateway would refuse
 * with 400 is reported as such). `out` and `err` receive complete lines ending with `\n`.
 *
 * @returns 0 allowed, 1 denied or refused with 400 by the gateway (reason on `err`), 2 invalid rules or bad usage (message on `err`)
 * @example
 * runCheckCommand(['--limit-to', '[GET].*\/rest/api/space.*', 'get', '/rest/api/space/EXT'], out, err)
 * // out: 'allowed by line 1: [GET].*\/rest/api/space.*\n' → 0
 */
export function runCheckCommand(
  argv: string[],
  out: (text: string) => void = (text) => process.stdout.write(text),
  err: (text: string) => void = (text) => process.stderr.write(text),
): number {
  let input: CheckInput | 'help';
  try {
    input = readInput(argv);
  } catch (error) {
    const { line } = describeCliError(error);
    err(line);
    return error instanceof RequestRefused ? 1 : 2;
  }
  if (input === 'help') {
    out(CHECK_USAGE);
    return 0;
  }
  const verdict = evaluate(input.ruleSet, input.facts);
  out(verdictLines(verdict, input.ruleSet));
  return verdict.allowed ? 0 : 1;
}
