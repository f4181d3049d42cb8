import { useId, useRef } from 'preact/hooks';
import { sentence } from './format.js';
import { editorLines, errorText, type RuleState } from './rule-check.js';

export interface LimitToEditorProps {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly state: RuleState;
  /** An error from the server at creation, shown like a rule error. */
  readonly serverError: string | null;
}

/**
 * The "read only" preset: any URL, reading methods only. A line needs a URL regex after its
 * methods (`[GET|HEAD|OPTIONS]` alone is refused), so `.*` allows every URL.
 */
export const READ_ONLY_RULE = '[GET|HEAD|OPTIONS].*';

const EXAMPLES: readonly { readonly rule: string; readonly text: string }[] = [
  { rule: '.*/rest/api/space.*', text: 'all space endpoints' },
  { rule: '[POST].*/rest/api/space/EXTENDER/property.*', text: 'set a property on space EXTENDER, POST only' },
  {
    rule: '[GET].*/rest/api/content.*[QueryParam::spaceKey==PM.*]',
    text: 'find pages only in spaces whose key starts with PM',
  },
  { rule: '[POST].*/rest/api/content/?[JsonData::type==page]', text: 'create pages only' },
  {
    rule: '[POST].*/rest/api/content/?[JsonData::type==page][JsonData::title==TEST.*]',
    text: 'create pages whose title begins with TEST',
  },
];

/**
 * The limitTo editor: one rule per line with line numbers; the engine's error is shown at its
 * line (the line number is marked, the message names line and column, and the line is quoted
 * with a caret under the column).
 */
export function LimitToEditor(props: LimitToEditorProps) {
  const ids = { area: useId(), help: useId(), status: useId(), preset: useId() };
  const gutter = useRef<HTMLDivElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const lines = editorLines(props.value);
  const error = props.state.status === 'invalid' ? props.state.error : null;
  const invalid = error !== null || props.serverError !== null;
  const rows = Math.max(4, Math.min(12, lines.length + 1));

  const addExample = (rule: string) => {
    const text = props.value.trimEnd();
    props.onChange(text === '' ? rule : `${text}\n${rule}`);
    area.current?.focus();
  };

  return (
    <div class="field">
      <label for={ids.area}>
        Limit to <span class="muted">(optional · one rule per line)</span>
      </label>
      <p class="hint" id={ids.help}>
        <code>[METHOD]URL_REGEX[QueryParam::NAME==REGEX][JsonData::NODE==REGEX]</code> — a request is allowed when any
        line matches; empty means every supported endpoint.
      </p>
      <div class={invalid ? 'editor editor-invalid' : 'editor'}>
        <div class="editor-gutter" aria-hidden="true" ref={gutter}>
          {lines.map((_, index) => (
            <div
              key={index}
              class={error !== null && error.line === index + 1 ? 'gutter-line gutter-error' : 'gutter-line'}
            >
              {index + 1}
            </div>
          ))}
        </div>
        <textarea
          ref={area}
          id={ids.area}
          class="editor-text"
          rows={rows}
          wrap="off"
          spellcheck={false}
          autoCapitalize="none"
          autoComplete="off"
          value={props.value}
          placeholder="[GET].*/rest/api/space.*"
          onInput={(e) => props.onChange(e.currentTarget.value)}
          onScroll={(e) => {
            if (gutter.current !== null) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          aria-invalid={invalid}
          aria-describedby={`${ids.help} ${ids.status}`}
        />
      </div>
      <div id={ids.status} class="editor-status" aria-live="polite">
        <RuleStatus state={props.state} lines={lines} />
        {props.serverError !== null && error === null && <p class="field-error">{sentence(props.serverError)}</p>}
      </div>
      <div class="presets">
        <span class="muted">Preset:</span>{' '}
        <button
          type="button"
          class="button button-small"
          onClick={() => addExample(READ_ONLY_RULE)}
          aria-describedby={ids.preset}
        >
          Read only
        </button>{' '}
        <span class="muted small" id={ids.preset}>
          adds <code>{READ_ONLY_RULE}</code>: GET, HEAD and OPTIONS on every URL
        </span>
      </div>
      <details class="examples">
        <summary>Examples</summary>
        <ul>
          {EXAMPLES.map((example) => (
            <li key={example.rule}>
              <code>{example.rule}</code> <span class="muted">— {example.text}</span>{' '}
              <button type="button" class="button button-small" onClick={() => addExample(example.rule)}>
                Add<span class="visually-hidden"> rule: {example.text}</span>
              </button>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

function RuleStatus(props: { readonly state: RuleState; readonly lines: readonly string[] }) {
  const { state } = props;
  switch (state.status) {
    case 'empty':
      return <p class="hint">No rules: the token works for every supported endpoint.</p>;
    case 'checking':
      return <p class="hint">Checking…</p>;
    case 'valid':
      return (
        <p class="ok-text">
          <span aria-hidden="true">✓ </span>
          {state.rules === 1 ? '1 rule' : `${state.rules} rules`}, all valid.
        </p>
      );
    case 'unknown':
      return <p class="field-error">The rules could not be checked: {state.message}</p>;
    case 'invalid': {
      const line = props.lines[state.error.line - 1];
      return (
        <div class="rule-error" data-testid="rule-error">
          <p class="field-error">
            <strong>
              Line {state.error.line}, column {state.error.column}:
            </strong>{' '}
            {sentence(errorText(state.error))}
          </p>
          {line !== undefined && (
            <pre class="error-context" aria-hidden="true">
              <span class="error-context-line">{state.error.line} │ </span>
              {line}
              {'\n'}
              <span class="error-context-line">{' '.repeat(String(state.error.line).length)} │ </span>
              {' '.repeat(Math.max(0, state.error.column - 1))}
              <span class="caret">^</span>
            </pre>
          )}
        </div>
      );
    }
  }
}
