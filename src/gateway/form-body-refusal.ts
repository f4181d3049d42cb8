import { findOverrideParam, overrideParamReason } from '../http/method-override.js';
import { isCredentialParam } from './upstream-query.js';

/**
 * Why a form body's parameter names refuse the call (400), or null: a method override
 * (`_method=DELETE`: Spring's HiddenHttpMethodFilter and Rack's MethodOverride act on it) or
 * Confluence's login parameters (`os_username`, `os_password`, `os_authType`) — a body is not
 * rewritten, so these are refused rather than removed.
 */
export function formBodyRefusal(
  names: ReadonlySet<string>,
): { code: 'credential_parameter_refused' | 'method_override_refused'; message: string } | null {
  const asMap = new Map<string, readonly string[]>();
  for (const name of names) {
    if (isCredentialParam(name)) {
      return {
        code: 'credential_parameter_refused',
        message: `the form body carries the credential parameter ${JSON.stringify(name.slice(0, 40))}; tokengate does not forward upstream credentials from clients`,
      };
    }
    asMap.set(name, []);
  }
  const override = findOverrideParam(asMap);
  return override === null
    ? null
    : { code: 'method_override_refused', message: overrideParamReason(override, 'form body') };
}
