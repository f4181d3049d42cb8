import { useEffect, useId, useState } from 'preact/hooks';
import { type Api, ApiError } from './api.js';
import { sentence } from './format.js';
import { useDebounced } from './hooks.js';
import { editorLines } from './rule-check.js';
import type { CheckResult, LineFailure } from './types.js';

export interface TryRequestProps {
  readonly api: Api;
  readonly limitTo: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;

type Outcome =
  | { readonly kind: 'allowed'; readonly line: number }
  | { readonly kind: 'denied'; readonly failures: readonly LineFailure[] }
  | { readonly kind: 'error'; readonly field: 'url' | 'body' | 'form'; readonly message: string };

/**
 * "Try a request": which line of the rules would allow a method + URL (+ JSON body), or why each
 * line refuses it — answered by `tokenTools/check`, the gateway's own engine. Re-checked when the
 * rules change.
 */
export function TryRequest(props: TryRequestProps) {
  const [method, setMethod] = useState<string>('GET');
  const [url, setUrl] = useState('');
  const [body, setBody] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [tried, setTried] = useState(false);
  const rules = useDebounced(props.limitTo, 350);
  const ids = { method: useId(), url: useId(), body: useId(), result: useId(), urlError: useId(), bodyError: useId() };

  const check = async (limitTo: string = props.limitTo) => {
    if (url.trim() === '') {
      setOutcome({ kind: 'error', field: 'url', message: 'Enter the URL of a request, e.g. /rest/api/space/DEMO.' });
      return;
    }
    try {
      const result = await props.api.send<CheckResult>('POST', 'tokenTools/check', {
        limitTo,
        method,
        url: url.trim(),
        ...(body.trim() === '' ? {} : { body }),
      });
      if (!result.valid) {
        setOutcome({
          kind: 'error',
          field: 'form',
          message: `Fix the rules first: line ${result.error.line}, column ${result.error.column}.`,
        });
      } else if (result.allowed) {
        setOutcome({ kind: 'allowed', line: result.line ?? 0 });
      } else {
        setOutcome({ kind: 'denied', failures: result.failures });
      }
    } catch (err) {
      const message = err instanceof ApiError ? err.message : 'the request could not be checked';
      setOutcome({
        kind: 'error',
        field: message.startsWith('body') ? 'body' : err instanceof ApiError && err.status === 400 ? 'url' : 'form',
        message: sentence(message),
      });
    }
  };

  // re-check when the rules change, once a request has been tried
  useEffect(() => {
    if (tried) void check(rules);
  }, [rules]);

  const lines = editorLines(props.limitTo);
  const ruleText = (line: number) => lines[line - 1]?.trim() ?? '';
  const fieldError = (field: 'url' | 'body') =>
    outcome?.kind === 'error' && outcome.field === field ? outcome.message : null;
  const urlError = fieldError('url');
  const bodyError = fieldError('body');

  return (
    <fieldset class="try">
      <legend>Try a request</legend>
      <p class="hint">Checks a request against the rules above without sending it anywhere.</p>
      <div class="try-row">
        <div class="field">
          <label for={ids.method}>Method</label>
          <select id={ids.method} value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </div>
        <div class="field grow">
          <label for={ids.url}>URL</label>
          <input
            id={ids.url}
            value={url}
            spellcheck={false}
            autoComplete="off"
            placeholder="/rest/api/space/DEMO?expand=history"
            onInput={(e) => setUrl(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                setTried(true);
                void check();
              }
            }}
            aria-invalid={urlError !== null}
            aria-describedby={urlError !== null ? ids.urlError : undefined}
          />
          {urlError !== null && (
            <p class="field-error" id={ids.urlError}>
              {urlError}
            </p>
          )}
        </div>
      </div>
      <div class="field">
        <label for={ids.body}>
          JSON body <span class="muted">(optional, for JsonData rules)</span>
        </label>
        <textarea
          id={ids.body}
          rows={2}
          spellcheck={false}
          value={body}
          placeholder='{"type": "page", "title": "TEST 1"}'
          onInput={(e) => setBody(e.currentTarget.value)}
          aria-invalid={bodyError !== null}
          aria-describedby={bodyError !== null ? ids.bodyError : undefined}
        />
        {bodyError !== null && (
          <p class="field-error" id={ids.bodyError}>
            {bodyError}
          </p>
        )}
      </div>
      <button
        type="button"
        class="button"
        onClick={() => {
          setTried(true);
          void check();
        }}
      >
        Try it
      </button>
      <div id={ids.result} class="try-result" aria-live="polite" data-testid="try-result">
        {outcome?.kind === 'allowed' && (
          <p class="verdict verdict-allowed">
            <span aria-hidden="true">✓ </span>
            {outcome.line === 0 ? (
              <>Allowed: the token has no restrictions.</>
            ) : (
              <>
                Allowed by line {outcome.line}: <code>{ruleText(outcome.line)}</code>
              </>
            )}
          </p>
        )}
        {outcome?.kind === 'denied' && (
          <div class="verdict verdict-denied">
            <p>
              <span aria-hidden="true">✗ </span>Refused: no line allows this request.
            </p>
            <ul>
              {outcome.failures.map((failure) => (
                <li key={failure.line}>
                  <strong>Line {failure.line}</strong> <code>{ruleText(failure.line)}</code>: {failure.reason}
                </li>
              ))}
            </ul>
          </div>
        )}
        {outcome?.kind === 'error' && outcome.field === 'form' && <p class="field-error">{outcome.message}</p>}
      </div>
    </fieldset>
  );
}
