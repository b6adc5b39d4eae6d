import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTRPC } from '../api/trpc.js';
import { ChatTabs } from '../chat/chat-tabs.js';
import { ModelPicker } from '../chat/model-picker.js';
import { ErrorBox } from '../ui/error-box.js';
import { cosineSimilarity } from './cosine.js';

const preview = (v: number[]) =>
  `[${v
    .slice(0, 6)
    .map((x) => x.toFixed(4))
    .join(', ')}${v.length > 6 ? ', …' : ''}]`;

/**
 * Embedding models: the vector of one text (`chat.embed`), or of two texts in one call
 * (`chat.embedBatch`) with their cosine similarity.
 */
export function EmbeddingsPage() {
  const trpc = useTRPC();
  const [model, setModel] = useState('');
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const ids = { a: useId(), b: useId() };
  const one = useMutation(trpc.chat.embed.mutationOptions());
  const two = useMutation(trpc.chat.embedBatch.mutationOptions());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    one.reset();
    two.reset();
    const input = { ...(model ? { model } : {}) };
    if (a.trim() && b.trim()) two.mutate({ ...input, inputs: [a, b] });
    else if (a.trim() || b.trim()) one.mutate({ ...input, input: a.trim() ? a : b });
  };
  const vectors = two.data?.embeddings ?? (one.data ? [one.data.embedding] : []);
  const result = two.data ?? one.data;
  const [va, vb] = vectors;
  const similarity = va && vb ? cosineSimilarity(va, vb) : undefined;
  const pending = one.isPending || two.isPending;
  return (
    <section aria-labelledby="embeddings-title" className="embeddings-page">
      <div className="page-head">
        <h1 id="embeddings-title">Embeddings</h1>
        <ChatTabs current="/embeddings" />
      </div>
      <div className="embed-layout">
        <form className="embed-form" onSubmit={submit} aria-label="Embed texts">
          <ModelPicker kind="embedding" label="Embedding model" value={model} onChange={setModel} />
          <div className="texts">
            <div className="field">
              <label htmlFor={ids.a}>Text A</label>
              <textarea id={ids.a} rows={4} value={a} onChange={(e) => setA(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.b}>Text B</label>
              <textarea
                id={ids.b}
                rows={4}
                value={b}
                placeholder="optional: fill both to compare"
                onChange={(e) => setB(e.target.value)}
              />
            </div>
          </div>
          <div className="actions">
            <button type="submit" disabled={pending || !(a.trim() || b.trim())}>
              {a.trim() && b.trim() ? 'Embed both and compare' : 'Embed'}
            </button>
          </div>
        </form>
        <div>
          <ErrorBox error={one.error ?? two.error} label="Not embedded" />
          {!result && (
            <div className="embed-result muted">
              <p>
                An embedding model turns a text into a vector. Texts that mean similar things get
                vectors pointing the same way: their <strong>cosine similarity</strong> is near 1,
                unrelated texts are near 0, opposite ones towards −1.
              </p>
              <p>Fill in one text to see its vector, or both to compare them.</p>
            </div>
          )}
          {result && (
            <div className="embed-result" data-testid="embed-result">
              <dl className="facts">
                <dt>Model</dt>
                <dd>{result.model}</dd>
                <dt>Vector size</dt>
                <dd data-testid="vector-size">{va?.length ?? 0}</dd>
                {similarity !== undefined && (
                  <>
                    <dt>Cosine similarity</dt>
                    <dd data-testid="cosine">{similarity.toFixed(4)}</dd>
                  </>
                )}
                <dt>Prompt tokens</dt>
                <dd>{result.usage.promptTokens}</dd>
                <dt>Duration</dt>
                <dd>{Math.round(result.timings.durationMs)} ms</dd>
              </dl>
              {similarity !== undefined && (
                <meter
                  className="similarity"
                  min={-1}
                  max={1}
                  value={similarity}
                  aria-label={`Cosine similarity ${similarity.toFixed(4)}`}
                />
              )}
              {vectors.map((v, i) => (
                <p key={i === 0 ? 'a' : 'b'} className="mono vector">
                  {vectors.length > 1 ? (i === 0 ? 'A ' : 'B ') : ''}
                  {preview(v)}
                </p>
              ))}
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
