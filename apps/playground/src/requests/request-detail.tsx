import { ErrorBox } from '../ui/error-box.js';
import { Timeline } from './timeline.js';
import { useRequest } from './use-requests.js';

const dash = (v: unknown) => (v === undefined || v === null || v === '' ? '–' : String(v));

/** One request: what was asked and served, how it went, its timeline, prompt and answer if kept. */
export function RequestDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const { data: entry, error } = useRequest(id);
  return (
    <section className="panel request-detail" aria-labelledby="request-detail-title">
      <div className="row">
        <h2 id="request-detail-title">Request {id}</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <ErrorBox error={error} />
      {entry && (
        <>
          <dl className="facts" data-testid="request-facts">
            <dt>Time</dt>
            <dd>{new Date(entry.at).toLocaleString()}</dd>
            <dt>Door / route</dt>
            <dd>
              {entry.door} <code>{entry.route}</code>
            </dd>
            <dt>Key</dt>
            <dd>{dash(entry.keyName ?? entry.keyId)}</dd>
            <dt>Model asked / served</dt>
            <dd>
              {dash(entry.model)} / {dash(entry.servedModel)}
            </dd>
            <dt>Upstream</dt>
            <dd>{dash(entry.upstream)}</dd>
            <dt>Status</dt>
            <dd>
              {entry.status} {entry.code && <code className="code">{entry.code}</code>}
            </dd>
            <dt>Tokens in / out</dt>
            <dd>
              {dash(entry.promptTokens)} / {dash(entry.completionTokens)}
            </dd>
            <dt>TTFT / duration</dt>
            <dd>
              {entry.ttftMs === undefined ? '–' : `${entry.ttftMs.toFixed(1)} ms`} /{' '}
              {entry.durationMs.toFixed(1)} ms
            </dd>
            <dt>Cached / stream</dt>
            <dd>
              {entry.cached ? 'yes' : 'no'} / {entry.stream ? 'yes' : 'no'}
            </dd>
            <dt>Template</dt>
            <dd>{dash(entry.template)}</dd>
            <dt>Trace id</dt>
            <dd>
              <code>{dash(entry.traceId)}</code>
            </dd>
          </dl>
          <Timeline entry={entry} />
          {entry.prompt === undefined && entry.completion === undefined ? (
            <p className="muted">Prompt and answer are kept only with LOG_PROMPTS=true.</p>
          ) : (
            <>
              <h3>Prompt</h3>
              <pre className="kept" data-testid="request-prompt">
                {JSON.stringify(entry.prompt, null, 2)}
              </pre>
              <h3>Answer</h3>
              <pre className="kept" data-testid="request-answer">
                {entry.completion ?? ''}
              </pre>
            </>
          )}
        </>
      )}
    </section>
  );
}
