import { useQuery } from '@tanstack/react-query';
import { useEffect, useId } from 'react';
import { useTRPC } from '../api/trpc.js';
import { ErrorBox } from '../ui/error-box.js';

/**
 * Models the caller may use: the catalogue (allowed models the healthy upstreams have) plus the
 * configured aliases; starts on the gateway's default chat model.
 */
export function ModelPicker({ value, onChange }: { value: string; onChange(m: string): void }) {
  const trpc = useTRPC();
  const allowed = useQuery(trpc.models.allowed.queryOptions());
  const catalogue = useQuery(trpc.models.list.queryOptions());
  const id = useId();
  const names = [
    ...new Set([
      ...(catalogue.data ?? []).map((m) => m.name),
      ...Object.keys(allowed.data?.aliases ?? {}),
    ]),
  ].sort();
  const fallback = allowed.data?.defaultChatModel;
  useEffect(() => {
    if (!value && fallback) onChange(fallback);
  }, [value, fallback, onChange]);
  return (
    <div className="field">
      <label htmlFor={id}>Model</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {value && !names.includes(value) && <option value={value}>{value}</option>}
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      <ErrorBox error={allowed.error ?? catalogue.error} label="Models" />
    </div>
  );
}
