import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTRPC } from '../api/trpc.js';
import { AnswerStats } from '../chat/answer-stats.js';
import { ModelPicker } from '../chat/model-picker.js';
import { ErrorBox } from '../ui/error-box.js';
import type { TemplateVersion } from './draft.js';
import { typedValues, VariableInput } from './variable-input.js';

/** A form generated from the version's declared variables: render, or render and chat. */
export function RenderForm({ version }: { version: TemplateVersion }) {
  const trpc = useTRPC();
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [model, setModel] = useState(version.model ?? '');
  const render = useMutation(trpc.templates.render.mutationOptions());
  const chat = useMutation(trpc.templates.renderAndChat.mutationOptions());
  const input = () => ({
    id: version.id,
    version: version.version,
    variables: typedValues(version.variables, texts),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    if (submitter?.dataset.action === 'render') render.mutate(input());
    else chat.mutate({ ...input(), ...(model ? { model } : {}) });
  };
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
        <button type="submit" data-action="render" disabled={render.isPending}>
          Render
        </button>
        <button type="submit" data-action="chat" disabled={chat.isPending}>
          Render and chat
        </button>
      </div>
      <ErrorBox error={render.error} label="Render failed" />
      <ErrorBox error={chat.error} label="Chat failed" />
      {render.data && (
        <div>
          <h4>Rendered prompt</h4>
          {render.data.systemPrompt && <pre className="system">{render.data.systemPrompt}</pre>}
          <pre data-testid="rendered-prompt">{render.data.prompt}</pre>
        </div>
      )}
      {chat.data && (
        <div>
          <h4>Answer</h4>
          <pre data-testid="render-answer">{chat.data.content}</pre>
          <AnswerStats result={chat.data.result} />
        </div>
      )}
    </form>
  );
}
