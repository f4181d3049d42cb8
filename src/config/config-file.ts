import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isPlainObject, type Layer } from './config-layer.js';

/** The file's options, or why it could not be read. */
export type FileLayer = { readonly ok: true; readonly layer: Layer } | { readonly ok: false; readonly error: string };

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Reads a configuration file: JSON (`.json`) or YAML (`.yaml`, `.yml`), chosen by extension.
 * An empty YAML file is an empty configuration; anything else must be an object.
 */
export function readConfigFile(path: string): FileLayer {
  const extension = extname(path).toLowerCase();
  if (!['.json', '.yaml', '.yml'].includes(extension)) {
    return { ok: false, error: `configuration file ${path}: the name must end with .json, .yaml or .yml` };
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      error: `configuration file ${path} cannot be read${code === 'ENOENT' ? ': no such file' : ` (${code ?? String(err)})`}`,
    };
  }
  let value: unknown;
  try {
    value =
      extension === '.json' ? JSON.parse(text) : (parseYaml(text, { prettyErrors: true, uniqueKeys: true }) ?? {});
  } catch (err) {
    return {
      ok: false,
      error: `configuration file ${path} is not valid ${extension === '.json' ? 'JSON' : 'YAML'}: ${oneLine((err as Error).message)}`,
    };
  }
  if (!isPlainObject(value)) return { ok: false, error: `configuration file ${path} must hold an object of options` };
  return { ok: true, layer: value };
}
