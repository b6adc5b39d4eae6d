import { type FormEvent, useId, useState } from 'react';
import { ErrorBox } from '../ui/error-box.js';
import { usePull } from './use-pull.js';

/** Pull a model onto the upstreams (admin), with Ollama's progress as a progress bar. */
export function PullForm() {
  const [name, setName] = useState('');
  const { state, pull, cancel } = usePull();
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) pull(name.trim());
  };
  const progress = state.phase === 'pulling' || state.phase === 'done' ? state.progress : undefined;
  const percent = state.phase === 'done' ? 100 : progress?.percent;
  return (
    <form className="pull" onSubmit={submit} aria-label="Pull a model">
      <label htmlFor={id}>Pull model</label>
      <input
        id={id}
        value={name}
        placeholder="llama3.2:1b"
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" disabled={state.phase === 'pulling'}>
        Pull
      </button>
      {state.phase === 'pulling' && (
        <button type="button" onClick={cancel}>
          Cancel
        </button>
      )}
      {(state.phase === 'pulling' || state.phase === 'done') && (
        <div className="progress" data-testid="pull-progress" data-phase={state.phase}>
          <progress
            max={100}
            value={percent}
            aria-label={`Pulling ${state.name}`}
            aria-valuetext={percent === undefined ? progress?.status : `${Math.round(percent)}%`}
          />
          <output aria-live="polite">
            {state.phase === 'done' ? `Pulled ${state.name}` : (progress?.status ?? 'starting…')}
            {percent !== undefined && state.phase === 'pulling' ? ` ${Math.round(percent)}%` : ''}
          </output>
        </div>
      )}
      {state.phase === 'failed' && (
        <ErrorBox error={state.error} label={`Pull of ${state.name} failed`} />
      )}
    </form>
  );
}
