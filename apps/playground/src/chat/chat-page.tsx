import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { NumberField } from '../ui/number-field.js';
import { ChatTabs } from './chat-tabs.js';
import { inContext } from './conversation.js';
import { ExchangeView } from './exchange-view.js';
import { ModelPicker, useCanThink } from './model-picker.js';
import { useChat } from './use-chat.js';

export function ChatPage() {
  const chat = useChat();
  const { settings, patchSettings } = chat;
  const [draft, setDraft] = useState('');
  const systemId = useId();
  const messageId = useId();
  const thinkId = useId();
  const canThink = useCanThink(settings.model);
  const transcript = useRef<HTMLOListElement>(null);
  // Options start open beside the conversation, folded above it on a phone.
  const [wide] = useState(() => window.matchMedia('(min-width: 901px)').matches);
  const pinned = useRef(true);

  // Follow the answer as it grows, unless the reader scrolled up to read.
  useEffect(() => {
    const el = transcript.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  });
  const onScroll = () => {
    const el = transcript.current;
    if (el) pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  };

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const text = draft.trim();
    if (!text || chat.streaming) return;
    setDraft('');
    pinned.current = true;
    chat.send(text);
  };
  // Enter sends, Shift+Enter starts a new line.
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
  };
  const context = chat.exchanges.filter(inContext).length;
  const leftOut = chat.exchanges.length - context - (chat.streaming ? 1 : 0);

  return (
    <section aria-labelledby="chat-title" className="chat-page">
      <div className="page-head">
        <h1 id="chat-title">Chat</h1>
        <ChatTabs current="/chat" />
      </div>
      <div className="chat-layout">
        <aside className="chat-settings" aria-label="Chat settings">
          <ModelPicker value={settings.model} onChange={(model) => patchSettings({ model })} />
          <details className="more-settings" open={wide}>
            <summary>Options</summary>
            <div className="pair">
              <NumberField
                label="Temperature"
                min={0}
                max={2}
                step={0.1}
                value={settings.temperature}
                onChange={(temperature) => patchSettings({ temperature })}
              />
              <NumberField
                label="Seed"
                step={1}
                value={settings.seed}
                onChange={(seed) => patchSettings({ seed })}
              />
            </div>
            {canThink && (
              <div className="check">
                <input
                  id={thinkId}
                  type="checkbox"
                  checked={settings.think}
                  onChange={(e) => patchSettings({ think: e.target.checked })}
                />
                <label htmlFor={thinkId}>Think before answering</label>
              </div>
            )}
            <div className="field">
              <label htmlFor={systemId}>System prompt</label>
              <textarea
                id={systemId}
                rows={3}
                value={settings.system}
                onChange={(e) => patchSettings({ system: e.target.value })}
              />
            </div>
          </details>
          <p className="hint" data-testid="context-size">
            {chat.exchanges.length === 0
              ? 'The conversation is kept in this browser until you clear it.'
              : `${context} exchange${context === 1 ? '' : 's'} sent as context${
                  leftOut > 0 ? `, ${leftOut} left out (stopped or failed)` : ''
                }.`}
          </p>
          <button
            type="button"
            onClick={chat.clear}
            disabled={chat.exchanges.length === 0 && !chat.streaming}
          >
            Clear conversation
          </button>
        </aside>
        <div className="chat-main">
          <ol
            ref={transcript}
            className="transcript"
            aria-label="Conversation"
            aria-live="polite"
            onScroll={onScroll}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
            tabIndex={0}
          >
            {chat.exchanges.length === 0 && (
              <li className="empty">
                <p>
                  Ask anything. Answers are shown as markdown: code blocks are highlighted and have
                  a Copy button.
                </p>
                <p className="hint">
                  Stop keeps what has arrived; a stopped or failed answer stays here but is not sent
                  as context. Edit or regenerate the last exchange from its buttons.
                </p>
              </li>
            )}
            {chat.exchanges.map((exchange, i) => (
              <ExchangeView
                key={exchange.id}
                exchange={exchange}
                last={i === chat.exchanges.length - 1}
                busy={chat.streaming}
                onRegenerate={chat.regenerate}
                onEdit={chat.editLast}
              />
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
            </div>
          </form>
        </div>
      </div>
    </section>
  );
}
