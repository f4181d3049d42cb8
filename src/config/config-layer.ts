/**
 * Configuration layers (defaults < file < environment < command line), merged into one plain
 * object while remembering where every value came from, so an error can name its source.
 */

/** A plain nested object as read from a file, the environment or the command line. */
export type Layer = Record<string, unknown>;

/** Subtrees that a later layer replaces as a whole instead of merging into. */
const REPLACED_AS_A_WHOLE = new Set(['upstream.credentials']);

export function isPlainObject(value: unknown): value is Layer {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets `path` (dotted) in `target`, creating the objects on the way. */
export function setPath(target: Layer, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (isPlainObject(next)) node = next;
    else {
      const created: Layer = {};
      node[key] = created;
      node = created;
    }
  }
  node[keys[keys.length - 1] as string] = value;
}

/** `upstream: URL` (or null) in a file or the overrides is short for `upstream: {url: URL}`. */
export function expandShorthands(layer: Layer): Layer {
  const upstream = layer.upstream;
  if (typeof upstream === 'string' || upstream === null) return { ...layer, upstream: { url: upstream } };
  return layer;
}

/** Where each value of the merged configuration came from. */
export class Origins {
  readonly #byPath = new Map<string, string>();

  /** Records `source` for `path`, forgetting older sources of anything below it. */
  set(path: string, source: string): void {
    this.forget(path);
    this.#byPath.set(path, source);
  }

  /** Forgets the sources of `path` and of everything below it. */
  forget(path: string): void {
    for (const key of this.#byPath.keys()) if (key === path || key.startsWith(`${path}.`)) this.#byPath.delete(key);
  }

  /** The source of `path`: its own, a parent's, or those of what lies below it. */
  describe(path: string): string | undefined {
    for (let p = path; p !== ''; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
      const own = this.#byPath.get(p);
      if (own !== undefined) return own;
    }
    const below = new Set(
      [...this.#byPath].filter(([key]) => key.startsWith(`${path}.`) || path === '').map(([, s]) => s),
    );
    return below.size === 0 ? undefined : [...below].join(', ');
  }
}

/** Merges `layer` into `target` (deeply, except `REPLACED_AS_A_WHOLE`), recording each value's source. */
export function mergeLayer(
  target: Layer,
  layer: Layer,
  sourceOf: (path: string) => string,
  origins: Origins,
  prefix = '',
): void {
  for (const [key, value] of Object.entries(layer)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (!isPlainObject(value)) {
      target[key] = value;
      origins.set(path, sourceOf(path));
      continue;
    }
    const current = target[key];
    const into: Layer = isPlainObject(current) && !REPLACED_AS_A_WHOLE.has(path) ? current : {};
    if (into !== current) {
      target[key] = into;
      origins.forget(path);
    }
    mergeLayer(into, value, sourceOf, origins, path);
  }
}
