import { type KeyboardEvent, useState } from 'react';
import { AnswerText } from '../markdown/lazy-markdown.js';
import { ErrorBox } from '../ui/error-box.js';
import { AnswerStats } from './answer-stats.js';
import type { Exchange } from './conversation.js';

const STATUS_TEXT = {
  stopped: 'Stopped · not sent as context',
  failed: 'Failed · not sent as context',
} as const;

/**
 * One question and its answer. The last exchange can be edited and resent, or regenerated;
 * stopped and failed answers stay, marked as left out of the context.
 */
export function ExchangeView(props: {
  exchange: Exchange;
  last: boolean;
  busy: boolean;
  onRegenerate(): void;
  onEdit(question: string): void;
}) {
  const { exchange, last, busy } = props;
  const { answer } = exchange;
  const [editing, setEditing] = useState<string | null>(null);
  const resend = () => {
    const text = editing?.trim();
    if (!text) return;
    setEditing(null);
    props.onEdit(text);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') setEditing(null);
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      resend();
    }
  };
  const leftOut = answer.status === 'stopped' || answer.status === 'failed';
  return (
    <li className="exchange" data-status={answer.status}>
      <div className="turn user" data-role="user">
        <span className="who">You</span>
        {editing === null ? (
          <p className="content">{exchange.question}</p>
        ) : (
          <div className="edit">
            <textarea
              aria-label="Edit your last message"
              rows={3}
              value={editing}
              // biome-ignore lint/a11y/noAutofocus: the user just asked to edit this text
              autoFocus
              onChange={(e) => setEditing(e.target.value)}
              onKeyDown={onKeyDown}
            />
            <div className="actions">
              <button type="button" className="primary" onClick={resend} disabled={!editing.trim()}>
                Resend
              </button>
              <button type="button" onClick={() => setEditing(null)}>
                Cancel
              </button>
            </div>
          </div>
        )}
        {last && editing === null && (
          <button
            type="button"
            className="small link"
            disabled={busy}
            onClick={() => setEditing(exchange.question)}
          >
            Edit
          </button>
        )}
      </div>
      <div className="turn assistant" data-role="assistant" data-status={answer.status}>
        <span className="who">
          {answer.result?.model ?? answer.model ?? 'Assistant'}
          {leftOut && (
            <span className={`status ${answer.status}`} data-testid="left-out">
              {STATUS_TEXT[answer.status as keyof typeof STATUS_TEXT]}
            </span>
          )}
        </span>
        <div className="content">
          {answer.content ? (
            <AnswerText text={answer.content} />
          ) : answer.status === 'streaming' ? (
            <span className="muted">{answer.thinking === undefined ? 'Waiting…' : ''}</span>
          ) : null}
        </div>
        {answer.thinking && (
          <details className="thinking" data-testid="thinking">
            <summary>Thinking</summary>
            <div className="thinking-text">{answer.thinking}</div>
          </details>
        )}
        {answer.result && <AnswerStats result={answer.result} />}
        {answer.error && (
          <ErrorBox
            error={answer.error}
            label={answer.status === 'stopped' ? 'Stopped' : 'Failed'}
          />
        )}
        {last && answer.status !== 'streaming' && (
          <div className="turn-actions">
            <button type="button" className="small" disabled={busy} onClick={props.onRegenerate}>
              Regenerate
            </button>
          </div>
        )}
      </div>
    </li>
  );
}
