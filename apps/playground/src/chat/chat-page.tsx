import { type FormEvent, type KeyboardEvent, useId, useState } from 'react';
import { shownError } from '../api/errors.js';
import { ErrorBox } from '../ui/error-box.js';
import { NumberField } from '../ui/number-field.js';
import { AnswerStats } from './answer-stats.js';
import { ModelPicker } from './model-picker.js';
import { type ChatSettings, useChat } from './use-chat.js';

export function ChatPage() {
  const [settings, setSettings] = useState<ChatSettings>({
    model: '',
    system: '',
    temperature: undefined,
    seed: undefined,
  });
  const [draft, setDraft] = useState('');
  const chat = useChat();
  const systemId = useId();
  const messageId = useId();
  const patch = (p: Partial<ChatSettings>) => setSettings((s) => ({ ...s, ...p }));

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const text = draft.trim();
    if (!text || chat.streaming) return;
    setDraft('');
    void chat.send(text, settings);
  };
  // Enter sends, Shift+Enter starts a new line.
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
  };

  return (
    <section aria-labelledby="chat-title" className="chat">
      <h1 id="chat-title">Chat</h1>
      <div className="settings">
        <ModelPicker value={settings.model} onChange={(model) => patch({ model })} />
        <NumberField
          label="Temperature"
          min={0}
          max={2}
          step={0.1}
          value={settings.temperature}
          onChange={(temperature) => patch({ temperature })}
        />
        <NumberField
          label="Seed"
          step={1}
          value={settings.seed}
          onChange={(seed) => patch({ seed })}
        />
        <div className="field wide">
          <label htmlFor={systemId}>System prompt</label>
          <textarea
            id={systemId}
            rows={2}
            value={settings.system}
            onChange={(e) => patch({ system: e.target.value })}
          />
        </div>
      </div>
      <ol className="transcript" aria-label="Conversation" aria-live="polite">
        {chat.turns.map((turn, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: turns are append-only
          <li key={i} className={`turn ${turn.role}`} data-role={turn.role}>
            <span className="who">{turn.role === 'user' ? 'You' : 'Assistant'}</span>
            <p className="content">{turn.content}</p>
            {turn.result && <AnswerStats result={turn.result} />}
            {turn.error ? (
              <ErrorBox
                error={turn.error}
                label={shownError(turn.error).code === 'CANCELLED' ? 'Stopped' : 'Failed'}
              />
            ) : null}
          </li>
        ))}
      </ol>
      <form className="composer" onSubmit={submit}>
        <label htmlFor={messageId}>Message</label>
        <textarea
          id={messageId}
          rows={3}
          value={draft}
          placeholder="Enter sends, Shift+Enter adds a line"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <div className="actions">
          <button type="submit" disabled={chat.streaming || !draft.trim()}>
            Send
          </button>
          <button type="button" onClick={chat.stop} disabled={!chat.streaming}>
            Stop
          </button>
          <button type="button" onClick={chat.clear} disabled={chat.streaming}>
            Clear
          </button>
        </div>
      </form>
    </section>
  );
}
