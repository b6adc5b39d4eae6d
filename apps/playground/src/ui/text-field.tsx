import { useId } from 'react';

/** A labelled text input or textarea; `required` adds a visible mark and aria-required. */
export function TextField(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  multiline?: number;
  required?: boolean;
  disabled?: boolean;
  placeholder?: string;
  className?: string;
  mono?: boolean;
}) {
  const id = useId();
  const common = {
    id,
    value: props.value,
    disabled: props.disabled,
    placeholder: props.placeholder,
    'aria-required': props.required || undefined,
    className: props.mono ? 'mono' : undefined,
    spellCheck: props.mono ? false : undefined,
  };
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={id}>
        {props.label}
        {props.required && (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {props.multiline ? (
        <textarea
          rows={props.multiline}
          {...common}
          onChange={(e) => props.onChange(e.target.value)}
        />
      ) : (
        <input {...common} onChange={(e) => props.onChange(e.target.value)} />
      )}
    </div>
  );
}
