import type { ChatStreamResult } from '@intellicore/llm-client';

const ms = (n: number | undefined) => (n === undefined ? '–' : `${Math.round(n)} ms`);

/** Token counts and timings of one finished answer. */
export function AnswerStats({ result }: { result: ChatStreamResult }) {
  const { usage, timings } = result;
  return (
    <dl className="stats" data-testid="answer-stats">
      <dt>Prompt tokens</dt>
      <dd>{usage.promptTokens}</dd>
      <dt>Completion tokens</dt>
      <dd>{usage.completionTokens}</dd>
      <dt>Total</dt>
      <dd>{usage.totalTokens}</dd>
      <dt>TTFT</dt>
      <dd>{ms(timings.ttftMs)}</dd>
      <dt>Duration</dt>
      <dd>{ms(timings.durationMs)}</dd>
      <dt>Model</dt>
      <dd>
        {result.model}
        {result.cached ? ' (cached)' : ''}
      </dd>
    </dl>
  );
}
