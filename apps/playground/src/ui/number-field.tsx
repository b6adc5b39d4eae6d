import { useId } from 'react';

/** An optional number: empty means "not set" (the model's default). */
export function NumberField(props: {
  label: string;
  value: number | undefined;
  onChange(value: number | undefined): void;
  min?: number;
  max?: number;
  step?: number;
  hint?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={props.min}
        max={props.max}
        step={props.step}
        placeholder={props.hint ?? 'default'}
        value={props.value ?? ''}
        onChange={(e) => {
          const n = e.target.valueAsNumber;
          props.onChange(Number.isFinite(n) ? n : undefined);
        }}
      />
    </div>
  );
}
