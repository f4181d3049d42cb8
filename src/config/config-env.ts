import { type Layer, setPath } from './config-layer.js';
import { CONFIG_OPTIONS, ENVIRONMENT_ONLY_OPTIONS, type EnvKind } from './config-options.js';
import { parseSize } from './size.js';

const ENV_PREFIX = 'TOKENGATE_';
const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);
const KNOWN = new Set([...CONFIG_OPTIONS.map((o) => o.env), ...ENVIRONMENT_ONLY_OPTIONS.map((o) => o.env)]);

type Parsed = { readonly value: unknown } | { readonly error: string } | null;

function parseInt10(text: string): Parsed {
  return /^[+-]?\d+$/.test(text)
    ? { value: Number(text) }
    : { error: `must be a whole number, got ${JSON.stringify(text)}` };
}

/** The value of one variable, `{error}`, or null when it is empty and so ignored. */
function parseEnvValue(kind: EnvKind, raw: string): Parsed {
  const text = raw.trim();
  switch (kind) {
    case 'nullableString':
      return { value: text === '' ? null : text };
    case 'nullableInt':
      return text === '' || text.toLowerCase() === 'none' ? { value: null } : parseInt10(text);
    default:
      if (text === '') return null;
  }
  switch (kind) {
    case 'int':
      return parseInt10(text);
    case 'bool': {
      const lower = text.toLowerCase();
      if (TRUE.has(lower)) return { value: true };
      if (FALSE.has(lower)) return { value: false };
      return { error: `must be true or false, got ${JSON.stringify(text)}` };
    }
    case 'enum':
      return { value: text.toLowerCase() };
    case 'size': {
      const bytes = parseSize(text);
      return bytes === null
        ? { error: `must be a size in bytes such as 1048576, 512kb or 2mb, got ${JSON.stringify(text)}` }
        : { value: bytes };
    }
    case 'list':
      return {
        value: text
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      };
    default:
      return { value: text };
  }
}

export interface EnvLayer {
  readonly layer: Layer;
  /** Dotted key → the variable that set it. */
  readonly variables: ReadonlyMap<string, string>;
  /** Values that could not be read (`TOKENGATE_PORT: must be a whole number, got "x"`). */
  readonly errors: string[];
  /** `TOKENGATE_*` variables that are no option (likely typos). */
  readonly warnings: string[];
}

/**
 * Reads the `TOKENGATE_*` variables of `env` into a configuration layer. Empty values are
 * ignored, except where empty means "none" (URLs, the identity header, the expiry maximum).
 */
export function readEnvLayer(env: Readonly<Record<string, string | undefined>>): EnvLayer {
  const layer: Layer = {};
  const variables = new Map<string, string>();
  const errors: string[] = [];
  for (const option of CONFIG_OPTIONS) {
    const raw = env[option.env];
    if (raw === undefined) continue;
    const parsed = parseEnvValue(option.kind, raw);
    if (parsed === null) continue;
    if ('error' in parsed) {
      errors.push(`${option.env}: ${parsed.error}`);
      continue;
    }
    setPath(layer, option.key, parsed.value);
    variables.set(option.key, option.env);
  }
  const warnings = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && !KNOWN.has(name))
    .map((name) => `unknown environment variable ${name} ignored (see the configuration table in the README)`);
  return { layer, variables, errors, warnings };
}
