import { type FormEvent, useId, useState } from 'react';
import { ErrorBox } from '../ui/error-box.js';
import type { KeyCreateInput, KeyRow } from './use-keys.js';

/** What the form edits, as the inputs hold it (empty = not set). */
interface Draft {
  name: string;
  admin: boolean;
  models: string;
  rpm: string;
  tpm: string;
  budgetTokens: string;
  budgetPeriod: 'day' | 'month';
  expires: string;
}

function draftOf(key?: KeyRow): Draft {
  return {
    name: key?.name ?? '',
    admin: key?.admin ?? false,
    models: key?.models?.join(', ') ?? '',
    rpm: key?.rpm?.toString() ?? '',
    tpm: key?.tpm?.toString() ?? '',
    budgetTokens: key?.budget?.tokens.toString() ?? '',
    budgetPeriod: key?.budget?.period ?? 'month',
    expires: key?.expiresAt?.slice(0, 10) ?? '',
  };
}

const count = (text: string) => (text.trim() === '' ? null : Number(text));

/** The draft as the procedures take it: every field given, null for "not set". */
function settingsOf(d: Draft): KeyCreateInput {
  const models = d.models
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  const tokens = count(d.budgetTokens);
  return {
    name: d.name,
    admin: d.admin,
    models: models.length > 0 ? models : null,
    rpm: count(d.rpm),
    tpm: count(d.tpm),
    budget: tokens === null ? null : { tokens, period: d.budgetPeriod },
    expiresAt: d.expires ? new Date(`${d.expires}T23:59:59Z`).toISOString() : null,
  };
}

/** Create a key, or edit one (`key` given): name, scope, models, limits, budget, expiry. */
export function KeyForm(props: {
  /** The key being edited; absent when creating. */
  initial?: KeyRow;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit(settings: KeyCreateInput): void;
  onCancel?(): void;
}) {
  const [draft, setDraft] = useState(() => draftOf(props.initial));
  const id = useId();
  const set = <K extends keyof Draft>(field: K, value: Draft[K]) =>
    setDraft((d) => ({ ...d, [field]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit(settingsOf(draft));
  };
  const text = (
    field: 'name' | 'models' | 'rpm' | 'tpm' | 'budgetTokens',
    label: string,
    hint: string,
    type = 'text',
  ) => (
    <div className={field === 'models' ? 'field wide' : 'field'}>
      <label htmlFor={`${id}-${field}`}>{label}</label>
      <input
        id={`${id}-${field}`}
        type={type}
        min={type === 'number' ? 0 : undefined}
        placeholder={hint}
        value={draft[field]}
        onChange={(e) => set(field, e.target.value)}
      />
    </div>
  );
  return (
    <form className="key-form" onSubmit={submit} aria-label={props.submitLabel}>
      <div className="grid">
        {text('name', 'Name', 'e.g. team-search')}
        {text('models', 'Models', 'every allowed model (or: llama3.2, mistral)')}
        {text('rpm', 'Requests / min', 'default', 'number')}
        {text('tpm', 'Tokens / min', 'default', 'number')}
        {text('budgetTokens', 'Token budget', 'none', 'number')}
        <div className="field">
          <label htmlFor={`${id}-period`}>Budget period</label>
          <select
            id={`${id}-period`}
            value={draft.budgetPeriod}
            onChange={(e) => set('budgetPeriod', e.target.value as 'day' | 'month')}
          >
            <option value="day">per day (UTC)</option>
            <option value="month">per month</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-expires`}>Expires</label>
          <input
            id={`${id}-expires`}
            type="date"
            value={draft.expires}
            onChange={(e) => set('expires', e.target.value)}
          />
        </div>
        <div className="field key-admin">
          <input
            id={`${id}-admin`}
            type="checkbox"
            checked={draft.admin}
            onChange={(e) => set('admin', e.target.checked)}
          />
          <label htmlFor={`${id}-admin`}>Admin</label>
        </div>
      </div>
      <div className="actions">
        <button type="submit" disabled={props.pending || !draft.name.trim()}>
          {props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
      <ErrorBox error={props.error} label="Not saved" />
    </form>
  );
}
