import type { GenerateRequest, GenerateResult, ModelOptions } from '@intellicore/llm-core';
import { readJsonBody } from '../../http/body.js';
import { sendJson } from '../../http/respond.js';
import { noteResult } from '../../shape.js';
import { pumpFrames } from '../chat-frames.js';
import type { FrontCall, FrontDeps } from '../front.js';
import { parseBody } from '../validate.js';
import { OPENAI_SSE_WIRE } from './chat.js';
import { type CompletionsBody, completionsBodySchema } from './schemas.js';
import { unixSeconds } from './translate.js';

/** One prompt of the body as a core generate request (Ollama's /api/generate semantics). */
function toGenerateRequest(body: CompletionsBody, prompt: string): GenerateRequest {
  const request: GenerateRequest = { model: body.model, prompt };
  if (body.suffix) request.suffix = body.suffix;
  const options: ModelOptions = {};
  if (body.temperature != null) options.temperature = body.temperature;
  if (body.top_p != null) options.top_p = body.top_p;
  if (body.seed != null) options.seed = body.seed;
  if (body.max_tokens != null) options.num_predict = body.max_tokens;
  if (body.stop != null) options.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.presence_penalty != null) options.presence_penalty = body.presence_penalty;
  if (body.frequency_penalty != null) options.frequency_penalty = body.frequency_penalty;
  if (Object.keys(options).length > 0) request.options = options;
  return request;
}

const finishReason = (doneReason: string | undefined) =>
  doneReason === 'length' ? 'length' : 'stop';

/** Token counts summed over the body's prompts. */
class UsageSum {
  prompt = 0;
  completion = 0;
  add(result: Pick<GenerateResult, 'metrics'>): void {
    this.prompt += result.metrics.promptEvalCount ?? 0;
    this.completion += result.metrics.evalCount ?? 0;
  }
  body() {
    return {
      prompt_tokens: this.prompt,
      completion_tokens: this.completion,
      total_tokens: this.prompt + this.completion,
    };
  }
}

/** POST /v1/completions — legacy text completions on core's generate (one per prompt). */
export async function completions(call: FrontCall, deps: FrontDeps): Promise<void> {
  const body = parseBody(completionsBodySchema, await readJsonBody(call.req, deps.maxBodyBytes));
  const prompts = typeof body.prompt === 'string' ? [body.prompt] : body.prompt;
  const requests = prompts.map((prompt) => toGenerateRequest(body, prompt));
  call.record.model = body.model;
  if (deps.logPrompts) call.record.prompt = prompts;
  const id = `cmpl-${call.record.id}`;
  if (body.stream) return streamCompletions(call, deps, requests, id, body);

  const startedAt = performance.now();
  const usage = new UsageSum();
  const results: GenerateResult[] = [];
  // One after the other: a batch never takes more than one upstream slot.
  for (const request of requests) {
    const result = await deps.service.generate(request, call.context('openai'));
    usage.add(result);
    results.push(result);
  }
  const last = results.at(-1)!;
  const ttftMs = results[0]?.ttftMs ?? performance.now() - startedAt;
  noteResult(
    call.record,
    last,
    { promptTokens: usage.prompt, completionTokens: usage.completion },
    ttftMs,
  );
  if (deps.logPrompts) call.record.completion = results.map((r) => r.response).join('\n');
  sendJson(call.res, 200, {
    id,
    object: 'text_completion',
    created: unixSeconds(),
    model: last.model,
    choices: results.map((r, index) => ({
      text: r.response,
      index,
      logprobs: null,
      finish_reason: finishReason(r.doneReason),
    })),
    usage: usage.body(),
  });
}

async function streamCompletions(
  call: FrontCall,
  deps: FrontDeps,
  requests: GenerateRequest[],
  id: string,
  body: CompletionsBody,
): Promise<void> {
  await pumpFrames(call, deps, chunks(call, deps, requests, id, body), OPENAI_SSE_WIRE);
}

/** Every upstream chunk as a `text_completion` chunk (empty text while a model thinks, as
 * Ollama sends), the finish reason on each prompt's last chunk, the usage chunk when asked
 * for, then `[DONE]`. */
async function* chunks(
  call: FrontCall,
  deps: FrontDeps,
  requests: GenerateRequest[],
  id: string,
  body: CompletionsBody,
): AsyncGenerator<string> {
  const startedAt = performance.now();
  const created = unixSeconds();
  const includeUsage = body.stream_options?.include_usage === true;
  const usage = new UsageSum();
  let model = body.model;
  const chunk = (choices: unknown[], extra?: Record<string, unknown>) => {
    const data: Record<string, unknown> = {
      id,
      object: 'text_completion',
      created,
      model,
      choices,
    };
    if (includeUsage) data.usage = null;
    return `data: ${JSON.stringify({ ...data, ...extra })}\n\n`;
  };
  for (const [index, request] of requests.entries()) {
    for await (const event of deps.service.generateStream(request, call.context('openai'))) {
      call.record.ttftMs ??= performance.now() - startedAt;
      model = event.model || model;
      const finish = event.done ? finishReason(event.doneReason) : null;
      if (event.done) {
        usage.add(event);
        noteResult(call.record, event, {
          promptTokens: usage.prompt,
          completionTokens: usage.completion,
        });
      }
      yield chunk([{ text: event.response, index, logprobs: null, finish_reason: finish }]);
    }
  }
  let tail = '';
  if (includeUsage) tail += chunk([], { usage: usage.body() });
  yield `${tail}data: [DONE]\n\n`;
}
