import { useEffect, useId, useState } from 'preact/hooks';
import { type Api, ApiError } from './api.js';
import { dateAfter, dateInputValue, daysUntilDate } from './expiry-date.js';
import { DAY_MS, formatDateTime, sentence } from './format.js';
import { LimitToEditor } from './limit-to-editor.js';
import { Modal } from './modal.js';
import { useRuleCheck } from './rule-check.js';
import { type Field, fieldOfMessage } from './server-messages.js';
import { TryRequest } from './try-request.js';
import type { CreatedToken, Me, UserChoice } from './types.js';

export interface CreateTokenDialogProps {
  readonly api: Api;
  readonly me: Me;
  readonly onClose: () => void;
  readonly onCreated: (token: CreatedToken) => void;
}

type Errors = Partial<Record<Field, string>>;

/** `""` in the user select: an unbound token, usable by any user with Basic auth. */
const ANY_USER = '';

/**
 * "Create token": label, user (administrators: any user or "any user (Basic only)"; others:
 * themselves), the expiry as a number of days or as a date, the limitTo editor checked as you
 * type, and "try a request".
 */
export function CreateTokenDialog(props: CreateTokenDialogProps) {
  const { api, me } = props;
  const [label, setLabel] = useState('');
  const [user, setUser] = useState(me.user.username);
  const defaultDays = me.maxExpiryDays === null ? 30 : Math.min(30, me.maxExpiryDays);
  const [days, setDays] = useState(String(defaultDays));
  const [byDate, setByDate] = useState(false);
  const [date, setDate] = useState(() => dateInputValue(dateAfter(new Date(), defaultDays)));
  const [limitTo, setLimitTo] = useState('');
  const [users, setUsers] = useState<readonly UserChoice[] | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const ruleState = useRuleCheck(api, limitTo);
  const ids = { form: useId(), label: useId(), user: useId(), days: useId(), hintDays: useId(), hintUser: useId() };
  const errorId = (field: Field) => `${ids.form}-${field}-error`;

  useEffect(() => {
    if (!me.user.admin) return;
    api.get<{ users: UserChoice[] }>('users').then(
      (r) => setUsers(r.users),
      () => setUsers([]),
    );
  }, [api, me.user.admin]);

  const validate = (): Errors => {
    const found: Errors = {};
    if (label.trim() === '') found.label = 'Enter a label: a name that says what the token is for.';
    else if ([...label.trim()].length > 255) found.label = 'The label must be at most 255 characters.';
    const text = days.trim();
    const chosen = daysUntilDate(date, new Date(), me.maxExpiryDays);
    if (byDate) {
      if (!chosen.ok) found.days = chosen.message;
    } else if (!/^\d*$/.test(text)) found.days = 'Enter a whole number of days (0: never expires).';
    else if (me.maxExpiryDays !== null && (text === '' || text === '0'))
      found.days = `Tokens must expire on this server: 1 to ${me.maxExpiryDays} days.`;
    else if (me.maxExpiryDays !== null && Number(text) > me.maxExpiryDays)
      found.days = `At most ${me.maxExpiryDays} days on this server.`;
    if (ruleState.status === 'invalid') found.limitTo = 'Fix the rule error first.';
    return found;
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      const first = (['label', 'user', 'days', 'limitTo'] as const).find((f) => found[f] !== undefined);
      const target =
        first === 'limitTo'
          ? document.querySelector<HTMLElement>(`#${CSS.escape(ids.form)} textarea`)
          : document.getElementById(ids[first ?? 'label']);
      target?.focus();
      return;
    }
    setBusy(true);
    try {
      const chosen = daysUntilDate(date, new Date(), me.maxExpiryDays);
      const daysUntilExpiry = byDate && chosen.ok ? chosen.days : days.trim() === '' ? 0 : Number(days.trim());
      const created = await api.send<CreatedToken>('POST', 'tokenTools/set', {
        label: label.trim(),
        userName: me.user.admin ? user : me.user.username,
        daysUntilExpiry,
        limitTo,
      });
      props.onCreated(created);
    } catch (err) {
      const message = err instanceof ApiError ? err.message : 'the token could not be created';
      setErrors({ [fieldOfMessage(message)]: sentence(message) });
      setBusy(false);
    }
  };

  const clearError = (field: Field) => {
    if (errors[field] === undefined) return;
    const { [field]: _cleared, ...rest } = errors;
    setErrors(rest);
  };
  const fieldError = (field: Field) =>
    errors[field] !== undefined && field !== 'limitTo' ? (
      <p class="field-error" id={errorId(field)}>
        {errors[field]}
      </p>
    ) : null;
  const describedBy = (field: Field, hint?: string) =>
    [hint, errors[field] !== undefined ? errorId(field) : undefined].filter(Boolean).join(' ') || undefined;

  return (
    <Modal title="Create token" wide onClose={props.onClose}>
      <form id={ids.form} onSubmit={submit} noValidate>
        <div class="form-grid">
          <div class="field">
            <label for={ids.label}>Label</label>
            <input
              id={ids.label}
              value={label}
              maxLength={255}
              autoComplete="off"
              placeholder="e.g. nightly export script"
              onInput={(e) => setLabel(e.currentTarget.value)}
              aria-invalid={errors.label !== undefined}
              aria-describedby={describedBy('label')}
              required
            />
            {fieldError('label')}
          </div>
          <div class="field">
            <label for={ids.user}>User</label>
            {me.user.admin ? (
              <select
                id={ids.user}
                value={user}
                onChange={(e) => setUser(e.currentTarget.value)}
                aria-invalid={errors.user !== undefined}
                aria-describedby={describedBy('user', ids.hintUser)}
              >
                {(users ?? [{ username: me.user.username, displayName: me.user.displayName }]).map((u) => (
                  <option key={u.username} value={u.username}>
                    {u.displayName !== null && u.displayName !== u.username
                      ? `${u.username} (${u.displayName})`
                      : u.username}
                  </option>
                ))}
                <option value={ANY_USER}>any user (Basic only)</option>
              </select>
            ) : (
              <input id={ids.user} value={`${me.user.username} (you)`} readOnly aria-describedby={ids.hintUser} />
            )}
            <p class="hint" id={ids.hintUser}>
              {me.user.admin
                ? user === ANY_USER
                  ? 'Anyone may use it as any existing user, with Basic auth only. A token for one user is safer.'
                  : 'Only this user can use the token.'
                : 'You can create tokens for yourself.'}
            </p>
            {fieldError('user')}
          </div>
          <div class="field">
            <label for={ids.days}>{byDate ? 'Expiry date' : 'Days until expiry'}</label>
            {byDate ? (
              <input
                id={ids.days}
                type="date"
                min={dateInputValue(dateAfter(new Date(), 1))}
                max={me.maxExpiryDays === null ? undefined : dateInputValue(dateAfter(new Date(), me.maxExpiryDays))}
                value={date}
                onInput={(e) => {
                  setDate(e.currentTarget.value);
                  clearError('days');
                }}
                aria-invalid={errors.days !== undefined}
                aria-describedby={describedBy('days', ids.hintDays)}
              />
            ) : (
              <input
                id={ids.days}
                type="number"
                inputMode="numeric"
                min={me.maxExpiryDays === null ? 0 : 1}
                max={me.maxExpiryDays ?? 36500}
                step={1}
                value={days}
                onInput={(e) => {
                  setDays(e.currentTarget.value);
                  clearError('days');
                }}
                aria-invalid={errors.days !== undefined}
                aria-describedby={describedBy('days', ids.hintDays)}
              />
            )}
            <p class="hint" id={ids.hintDays}>
              {byDate ? dateHint(date, me.maxExpiryDays) : daysHint(me.maxExpiryDays)}{' '}
              <button
                type="button"
                class="link-button"
                onClick={() => {
                  setByDate(!byDate);
                  clearError('days');
                }}
              >
                {byDate ? 'Enter a number of days instead' : 'Choose a date instead'}
              </button>
            </p>
            {fieldError('days')}
          </div>
        </div>
        <LimitToEditor value={limitTo} onChange={setLimitTo} state={ruleState} serverError={errors.limitTo ?? null} />
        <TryRequest api={api} limitTo={limitTo} />
        {errors.form !== undefined && (
          <p class="field-error" role="alert">
            {errors.form}
          </p>
        )}
        <p class="hint">
          A token cannot be edited after it is created: to change it, create a new one and delete the old one.
        </p>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function daysHint(maxDays: number | null): string {
  return maxDays === null
    ? '0: never expires. The expiry cannot be changed later.'
    : `1 to ${maxDays} days. The expiry cannot be changed later.`;
}

/** When a token made now with the chosen date expires (the time of day it is created). */
function dateHint(date: string, maxDays: number | null): string {
  const chosen = daysUntilDate(date, new Date(), maxDays);
  if (!chosen.ok) return 'The token expires on that date, at the time it is created.';
  const at = formatDateTime(Date.now() + chosen.days * DAY_MS);
  return `Expires ${at} (${chosen.days} ${chosen.days === 1 ? 'day' : 'days'}).`;
}
