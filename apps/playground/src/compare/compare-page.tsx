import { type FormEvent, type KeyboardEvent, useId, useState } from 'react';
import { ChatTabs } from '../chat/chat-tabs.js';
import { ModelPicker } from '../chat/model-picker.js';
import { AnswerText } from '../markdown/lazy-markdown.js';
import { useModelCatalogue } from '../models/use-model-catalogue.js';
import { ErrorBox } from '../ui/error-box.js';
import { type Side, useCompare } from './use-compare.js';

const ms = (n: number | undefined) => (n === undefined ? '–' : `${Math.round(n)} ms`);

/** One prompt to two models side by side, streamed at once, with tokens, TTFT and duration. */
export function ComparePage() {
  const [prompt, setPrompt] = useState('');
  const [system, setSystem] = useState('');
  const [models, setModels] = useState<[string, string]>(['', '']);
  const compare = useCompare();
  const { models: catalogue } = useModelCatalogue();
  const promptId = useId();
  const systemId = useId();
  // The second column starts on another chat model than the first, when there is one.
  const other = catalogue.find((m) => m.kind === 'chat' && !m.aliasOf && m.value !== models[0]);
  const second = models[1] || other?.value || '';

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!prompt.trim() || compare.running) return;
    compare.run(prompt, system, [models[0], second]);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
  };
  return (
    <section aria-labelledby="compare-title" className="compare-page">
      <div className="page-head">
        <h1 id="compare-title">Compare models</h1>
        <ChatTabs current="/compare" />
      </div>
      <form className="compare-form" onSubmit={submit} aria-label="Compare two models">
        <div className="pair">
          <ModelPicker
            label="Model A"
            value={models[0]}
            onChange={(m) => setModels((s) => [m, s[1]])}
          />
          <ModelPicker
            label="Model B"
            value={second}
            onChange={(m) => setModels((s) => [s[0], m])}
          />
        </div>
        <div className="field">
          <label htmlFor={promptId}>Prompt</label>
          <textarea
            id={promptId}
            rows={3}
            value={prompt}
            placeholder="Enter sends to both models, Shift+Enter adds a line"
            onChange={(e) => setPrompt(e.target.value)}
            onKeyDown={onKeyDown}
          />
        </div>
        <details>
          <summary>System prompt</summary>
          <textarea
            id={systemId}
            aria-label="System prompt"
            rows={2}
            value={system}
            onChange={(e) => setSystem(e.target.value)}
          />
        </details>
        <div className="actions">
          <button type="submit" disabled={compare.running || !prompt.trim()}>
            Send to both
          </button>
          <button type="button" onClick={compare.stop} disabled={!compare.running}>
            Stop
          </button>
        </div>
      </form>
      <div className="compare-columns">
        <Column side={compare.sides[0]} name="A" />
        <Column side={compare.sides[1]} name="B" />
      </div>
    </section>
  );
}

function Column({ side, name }: { side: Side; name: string }) {
  const { result } = side;
  return (
    <article
      className="compare-column"
      aria-label={`Answer ${name}`}
      data-testid={`answer-${name}`}
      data-status={side.status}
    >
      <header>
        <strong>
          {name}: {result?.model ?? (side.model || '—')}
        </strong>
        {side.status === 'streaming' && <span className="muted"> streaming…</span>}
      </header>
      <div className="content">
        {side.content ? (
          <AnswerText text={side.content} />
        ) : (
          side.status === 'idle' && <p className="muted">The answer appears here.</p>
        )}
      </div>
      {side.thinking && (
        <details className="thinking">
          <summary>Thinking</summary>
          <div className="thinking-text">{side.thinking}</div>
        </details>
      )}
      {result && (
        <dl className="stats" data-testid={`stats-${name}`}>
          <dt>Tokens</dt>
          <dd>
            {result.usage.completionTokens} out · {result.usage.promptTokens} in
          </dd>
          <dt>TTFT</dt>
          <dd>{ms(result.timings.ttftMs)}</dd>
          <dt>Duration</dt>
          <dd>{ms(result.timings.durationMs)}</dd>
        </dl>
      )}
      {side.error && (
        <ErrorBox error={side.error} label={side.status === 'stopped' ? 'Stopped' : 'Failed'} />
      )}
    </article>
  );
}
