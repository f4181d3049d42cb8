/** Live checking of a limitTo text through `tokenTools/check` (the gateway's own engine). */
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_PROTECTED_PREFIX } from '../../http/paths.js';
import { type Api, ApiError } from './api.js';
import { useDebounced } from './hooks.js';
import type { CheckResult, RuleError } from './types.js';

export type RuleState =
  | { readonly status: 'empty' }
  | { readonly status: 'checking' }
  | { readonly status: 'valid'; readonly rules: number }
  | { readonly status: 'invalid'; readonly error: RuleError }
  | { readonly status: 'unknown'; readonly message: string };

/** Lines as the editor shows them (newlines only). */
export function editorLines(text: string): string[] {
  return text.split(/\r\n|\n/);
}

/** The message without the engine's `line L, column C: ` prefix (the page shows those itself). */
export function errorText(error: RuleError): string {
  return error.message.replace(/^line \d+, column \d+:\s*/i, '');
}

/**
 * Checks `limitTo` whenever it settles (300 ms after the last keystroke).
 *
 * @example
 * const state = useRuleCheck(api, text); // { status: 'invalid', error: { line: 2, column: 5, message } }
 */
export function useRuleCheck(api: Api, limitTo: string): RuleState {
  const settled = useDebounced(limitTo, 300);
  const [state, setState] = useState<RuleState>({ status: 'empty' });
  useEffect(() => {
    if (limitTo !== settled) setState((s) => (s.status === 'checking' ? s : { status: 'checking' }));
  }, [limitTo, settled]);
  useEffect(() => {
    if (settled.trim() === '') {
      setState({ status: 'empty' });
      return;
    }
    let current = true;
    setState({ status: 'checking' });
    api
      .send<CheckResult>('POST', 'tokenTools/check', { limitTo: settled, method: 'GET', url: DEFAULT_PROTECTED_PREFIX })
      .then(
        (result) => {
          if (!current) return;
          setState(
            result.valid
              ? { status: 'valid', rules: editorLines(settled).filter((l) => l.trim() !== '').length }
              : { status: 'invalid', error: result.error },
          );
        },
        (err: unknown) =>
          current &&
          setState({
            status: 'unknown',
            message: err instanceof ApiError ? err.message : 'the rules could not be checked',
          }),
      );
    return () => {
      current = false;
    };
  }, [api, settled]);
  return state;
}
