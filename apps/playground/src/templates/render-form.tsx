import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTRPC } from '../api/trpc.js';
import { AnswerStats } from '../chat/answer-stats.js';
import { ModelPicker } from '../chat/model-picker.js';
import { AnswerText } from '../markdown/lazy-markdown.js';
import type { TemplateVersion } from './draft.js';
import { TemplateError } from './template-error.js';
import { useRenderAndChat } from './use-render-and-chat.js';
import { typedValues, VariableInput } from './variable-input.js';

/**
 * A form generated from the version's declared variables: render (the prompt only), or render
 * and chat, whose answer streams in (`templates.renderAndChatStream`) and can be stopped.
 */
export function RenderForm({ version }: { version: TemplateVersion }) {
  const trpc = useTRPC();
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [model, setModel] = useState(version.model ?? '');
  const render = useMutation(trpc.templates.render.mutationOptions());
  const chat = useRenderAndChat();
  const streaming = chat.state.phase === 'streaming';
  const input = () => ({
    id: version.id,
    version: version.version,
    variables: typedValues(version.variables, texts),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    if (submitter?.dataset.action === 'render') render.mutate(input());
    else if (!streaming) chat.start({ ...input(), ...(model ? { model } : {}) });
  };
  const { state } = chat;
  return (
    <form className="render" onSubmit={submit} aria-label="Render and chat">
      <h3>
        Render {version.id}@{version.version}
      </h3>
      {version.variables.length === 0 && <p>This template declares no variables.</p>}
      <div className="grid">
        {version.variables.map((decl) => (
          <VariableInput
            key={decl.name}
            decl={decl}
            value={texts[decl.name] ?? ''}
            onChange={(value) => setTexts((t) => ({ ...t, [decl.name]: value }))}
          />
        ))}
        <ModelPicker value={model} onChange={setModel} />
      </div>
      <div className="actions">
        <button
          type="submit"
          data-action="render"
          className="secondary"
          disabled={render.isPending}
        >
          Render
        </button>
        <button type="submit" data-action="chat" disabled={streaming}>
          Render and chat
        </button>
        <button type="button" onClick={chat.stop} disabled={!streaming}>
          Stop
        </button>
      </div>
      <TemplateError error={render.error} label="Render failed" />
      {render.data && (
        <div>
          <h4>Rendered prompt</h4>
          {render.data.systemPrompt && <pre className="system">{render.data.systemPrompt}</pre>}
          <pre data-testid="rendered-prompt">{render.data.prompt}</pre>
        </div>
      )}
      {state.phase !== 'idle' && (
        <div className="render-answer" data-phase={state.phase}>
          <h4>Answer{state.phase === 'streaming' ? ' (streaming…)' : ''}</h4>
          <div className="content" data-testid="render-answer">
            <AnswerText text={state.phase === 'done' ? state.done.content : state.content} />
          </div>
          {state.thinking && (
            <details className="thinking">
              <summary>Thinking</summary>
              <div className="thinking-text">{state.thinking}</div>
            </details>
          )}
          {state.phase === 'done' && state.done.data !== undefined && (
            <pre data-testid="render-data">{JSON.stringify(state.done.data, null, 2)}</pre>
          )}
          {state.phase === 'done' && <AnswerStats result={state.done.result} />}
          {(state.phase === 'stopped' || state.phase === 'failed') && (
            <TemplateError
              error={state.error}
              label={state.phase === 'stopped' ? 'Stopped' : 'Render and chat failed'}
            />
          )}
        </div>
      )}
    </form>
  );
}
