import { useEffect, useId } from 'react';
import type { ModelKind } from '../models/model-kind.js';
import { findModel, type PickableModel, useModelCatalogue } from '../models/use-model-catalogue.js';
import { ErrorBox } from '../ui/error-box.js';

const optionText = (m: PickableModel) =>
  `${m.value}${m.aliasOf ? ` → ${m.aliasOf}` : ''}${m.loadedOn.length > 0 ? ' · loaded' : ''}`;

/**
 * Models of one kind the caller may use (chat models for chat, embedding models for
 * embeddings), one entry each; starts on the gateway's default model of that kind. Below it:
 * where the picked model is loaded (a model not loaded pays its load time on the first answer).
 */
export function ModelPicker(props: {
  value: string;
  onChange(model: string): void;
  kind?: ModelKind;
  label?: string;
}) {
  const { value, onChange, kind = 'chat', label = 'Model' } = props;
  const catalogue = useModelCatalogue();
  const id = useId();
  const hintId = useId();
  const offered = catalogue.models.filter((m) => m.kind === kind);
  const fallback = catalogue.defaults[kind];
  useEffect(() => {
    if (!value && fallback) onChange(fallback);
  }, [value, fallback, onChange]);
  const picked = findModel(catalogue.models, value);
  const selected = picked?.value ?? value;
  return (
    <div className="field model-picker">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={selected}
        aria-describedby={hintId}
        onChange={(e) => onChange(e.target.value)}
      >
        {selected && !offered.some((m) => m.value === selected) && (
          <option value={selected}>{selected}</option>
        )}
        {offered.map((m) => (
          <option key={m.value} value={m.value}>
            {optionText(m)}
          </option>
        ))}
      </select>
      <small id={hintId} className="hint" data-testid="model-loaded">
        {picked === undefined
          ? catalogue.loading
            ? 'Loading models…'
            : 'Not in the catalogue of the healthy upstreams'
          : picked.loadedOn.length > 0
            ? `Loaded on ${picked.loadedOn.join(', ')}`
            : 'Not loaded: the first answer includes its load time'}
      </small>
      <ErrorBox error={catalogue.error} label="Models" />
    </div>
  );
}

/** Whether the picked model can think (Ollama's "thinking" capability). */
export function useCanThink(value: string): boolean {
  const { models } = useModelCatalogue();
  return findModel(models, value)?.capabilities.includes('thinking') ?? false;
}
