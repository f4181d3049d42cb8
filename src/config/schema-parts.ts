/** zod building blocks shared by the configuration schemas: whole numbers, strings and URLs with messages that name the expected value. */
import { z } from 'zod';

/** A whole number from `min` to `max`. */
export function int(min: number, max: number) {
  return z
    .number({ invalid_type_error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
}

/** A string; a non-string is "must be WHAT". */
export function text(what = 'a string') {
  return z.string({ invalid_type_error: `must be ${what}` });
}

export interface HttpUrlRules {
  /** Shown in the messages: "must be a URL such as EXAMPLE". */
  readonly example: string;
  /** Why credentials in the URL are refused, e.g. "use upstream.credentials". */
  readonly credentialsHint: string;
  /** Keep a query (else it is refused with the fragment). */
  readonly allowQuery?: boolean;
  /** Refuse any path: scheme://host[:port] only. */
  readonly originOnly?: boolean;
}

/**
 * An http(s) URL without credentials or fragment (and, unless `allowQuery`, without a query),
 * turned into the stored value by `toValue`.
 */
export function httpUrlField(rules: HttpUrlRules, toValue: (url: URL) => string) {
  const { example } = rules;
  return text(`a URL such as ${example}`).transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must be a URL such as ${example}, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    const problem =
      url.protocol !== 'http:' && url.protocol !== 'https:'
        ? `must start with http:// or https://, got ${JSON.stringify(value)}`
        : url.username !== '' || url.password !== ''
          ? `must not contain credentials (${rules.credentialsHint})`
          : rules.allowQuery === true
            ? url.hash !== ''
              ? 'must not have a fragment'
              : null
            : url.search !== '' || url.hash !== ''
              ? 'must not have a query or fragment'
              : rules.originOnly === true && url.pathname !== '/'
                ? `must be an origin only (scheme://host[:port]): tokengate forwards the request path as it is, got path ${url.pathname}`
                : null;
    if (problem !== null) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
      return z.NEVER;
    }
    return toValue(url);
  });
}
