import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.js';
import { ErrorBox } from '../ui/error-box.js';
import { modelKind, shortName } from './model-kind.js';

/** A GGUF metadata number by its key suffix (`llama.context_length` → `context_length`). */
function infoNumber(info: Record<string, unknown> | undefined, suffix: string) {
  const entry = Object.entries(info ?? {}).find(([k]) => k.endsWith(`.${suffix}`));
  return typeof entry?.[1] === 'number' ? entry[1] : undefined;
}

/** What the gateway knows about one model (`models.get`, Ollama's show). */
export function ModelDetails({ name }: { name: string }) {
  const trpc = useTRPC();
  const show = useQuery(trpc.models.get.queryOptions({ name }));
  const m = show.data;
  const context = infoNumber(m?.modelInfo, 'context_length');
  const embedding = infoNumber(m?.modelInfo, 'embedding_length');
  return (
    <section className="model-details" aria-label={`Details of ${shortName(name)}`}>
      <h2>{shortName(name)}</h2>
      <ErrorBox error={show.error} />
      {!m && !show.error && <p className="muted">Loading…</p>}
      {m && (
        <>
          <p>
            {m.capabilities?.map((c) => (
              <span key={c} className="tag cap">
                {c}
              </span>
            )) ?? <span className="muted">capabilities not reported</span>}
          </p>
          <dl className="facts">
            <dt>Use for</dt>
            <dd>
              {modelKind({ name, capabilities: m.capabilities, family: m.details.family }) ===
              'embedding'
                ? 'embeddings'
                : 'chat and generate'}
            </dd>
            <dt>Family</dt>
            <dd>{m.details.family ?? '—'}</dd>
            <dt>Parameters</dt>
            <dd>{m.details.parameterSize ?? '—'}</dd>
            <dt>Quantization</dt>
            <dd>{m.details.quantizationLevel ?? '—'}</dd>
            <dt>Context length</dt>
            <dd>{context?.toLocaleString() ?? '—'}</dd>
            <dt>Embedding length</dt>
            <dd>{embedding?.toLocaleString() ?? '—'}</dd>
          </dl>
          {m.template && (
            <details>
              <summary>Prompt template</summary>
              <pre>{m.template}</pre>
            </details>
          )}
          {m.parameters && (
            <details>
              <summary>Default parameters</summary>
              <pre>{m.parameters}</pre>
            </details>
          )}
          {m.license && (
            <details>
              <summary>License</summary>
              <pre>{m.license}</pre>
            </details>
          )}
        </>
      )}
    </section>
  );
}
