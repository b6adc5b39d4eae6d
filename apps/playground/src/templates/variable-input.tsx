import { useId } from 'react';
import type { Declaration } from './draft.js';

/** One input per declared variable, typed by its declaration; required ones are marked. */
export function VariableInput(props: {
  decl: Declaration;
  value: string;
  onChange(value: string): void;
}) {
  const { decl, value, onChange } = props;
  const id = useId();
  const hintId = useId();
  const common = {
    id,
    name: decl.name,
    required: decl.required,
    'aria-describedby': decl.description ? hintId : undefined,
  };
  let input: React.JSX.Element;
  switch (decl.type) {
    case 'boolean':
      input = (
        <input
          {...common}
          required={false}
          type="checkbox"
          checked={value === 'true'}
          onChange={(e) => onChange(e.target.checked ? 'true' : 'false')}
        />
      );
      break;
    case 'number':
      input = (
        <input {...common} type="number" value={value} onChange={(e) => onChange(e.target.value)} />
      );
      break;
    case 'enum':
      input = (
        <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{decl.required ? 'choose…' : '(default)'}</option>
          {(decl.values ?? []).map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      );
      break;
    case 'array':
    case 'object':
      input = (
        <textarea
          {...common}
          className="mono"
          rows={3}
          placeholder={decl.type === 'array' ? '["a", "b"]' : '{"key": "value"}'}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    default:
      input = <input {...common} value={value} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {decl.name}
        {decl.required && (
          <span className="required" title="required">
            {' '}
            *
          </span>
        )}
        <span className="type"> ({decl.type})</span>
      </label>
      {input}
      {decl.description && (
        <small id={hintId} className="hint">
          {decl.description}
        </small>
      )}
    </div>
  );
}

/** Form text → typed variables; empty fields are left out (so defaults apply). */
export function typedValues(
  decls: Declaration[],
  texts: Record<string, string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of decls) {
    const text = texts[d.name] ?? '';
    if (text === '' && d.type !== 'boolean') continue;
    if (d.type === 'boolean') {
      if (text !== '') out[d.name] = text === 'true';
    } else if (d.type === 'number') out[d.name] = Number(text);
    else if (d.type === 'array' || d.type === 'object') {
      try {
        out[d.name] = JSON.parse(text);
      } catch {
        out[d.name] = text; // the gateway answers with a field error naming the variable
      }
    } else out[d.name] = text;
  }
  return out;
}
