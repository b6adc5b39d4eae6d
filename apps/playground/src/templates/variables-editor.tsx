import { newRow, VARIABLE_TYPES, type VariableRow, type VariableType } from './draft.js';

/** The declared variables of a template: one row each, typed, with required marks. */
export function VariablesEditor(props: {
  rows: VariableRow[];
  onChange(rows: VariableRow[]): void;
  disabled?: boolean;
}) {
  const { rows, onChange, disabled } = props;
  const patch = (key: number, p: Partial<VariableRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...p } : r)));
  return (
    <fieldset className="variables" disabled={disabled}>
      <legend>Variables</legend>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Required</th>
              <th scope="col">Enum values</th>
              <th scope="col">Default</th>
              <th scope="col">Description</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.key}>
                <td>
                  <input
                    aria-label={`Variable ${i + 1} name`}
                    value={r.name}
                    onChange={(e) => patch(r.key, { name: e.target.value })}
                  />
                </td>
                <td>
                  <select
                    aria-label={`Variable ${i + 1} type`}
                    value={r.type}
                    onChange={(e) => patch(r.key, { type: e.target.value as VariableType })}
                  >
                    {VARIABLE_TYPES.map((t) => (
                      <option key={t}>{t}</option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Variable ${i + 1} required`}
                    checked={r.required}
                    onChange={(e) => patch(r.key, { required: e.target.checked })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Variable ${i + 1} enum values`}
                    placeholder={r.type === 'enum' ? 'a, b, c' : '—'}
                    disabled={r.type !== 'enum'}
                    value={r.values}
                    onChange={(e) => patch(r.key, { values: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Variable ${i + 1} default`}
                    placeholder={r.type === 'string' || r.type === 'enum' ? 'text' : 'JSON'}
                    value={r.default}
                    onChange={(e) => patch(r.key, { default: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Variable ${i + 1} description`}
                    value={r.description}
                    onChange={(e) => patch(r.key, { description: e.target.value })}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={`Remove variable ${r.name || i + 1}`}
                    onClick={() => onChange(rows.filter((x) => x.key !== r.key))}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" onClick={() => onChange([...rows, newRow()])}>
        Add variable
      </button>
    </fieldset>
  );
}
