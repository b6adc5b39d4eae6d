import { fnv1a } from '../deterministic.js';
import { SSE, sendGeneration } from '../stream.js';
import { planReply, toMessages } from './chat-plan.js';
import { loadModel, type Route, requireModel } from './common.js';

/** POST /v1/chat/completions, as Ollama's own OpenAI layer answers it (SSE ends `data: [DONE]`). */
export const openAiChatRoute: Route = {
  flavor: 'openai',
  body: true,
  inference: true,
  async handle(ex, body, state) {
    const found = requireModel(ex, body, state);
    if (!found) return;
    const { name, model } = found;
    const messages = toMessages(body.messages);
    if (messages.length === 0) return ex.error(400, 'messages is required');
    if (!(await loadModel(ex, state, model, undefined))) return;
    const maxTokens = body.max_completion_tokens ?? body.max_tokens;
    const responseFormat =
      (body.response_format as { type?: string; json_schema?: { schema?: unknown } } | undefined) ??
      {};
    const format =
      responseFormat.type === 'json_object'
        ? 'json'
        : responseFormat.type === 'json_schema'
          ? (responseFormat.json_schema?.schema ?? 'json')
          : undefined;
    const plan = planReply({
      model: name,
      messages,
      tools: Array.isArray(body.tools) ? body.tools : [],
      format,
      think: (body.reasoning_effort as string | undefined) ?? undefined,
      maxTokens: typeof maxTokens === 'number' && maxTokens > 0 ? maxTokens : undefined,
    });
    const id = `chatcmpl-${ex.entry.id}`;
    const created = Math.floor(Date.now() / 1000);
    const head = {
      id,
      object: 'chat.completion.chunk',
      created,
      model: name,
      system_fingerprint: 'fp_ollama',
    };
    const toolCalls = plan.toolCall && [
      {
        id: `call_${fnv1a(plan.toolCall.name + id).toString(36)}`,
        index: 0,
        type: 'function',
        function: { name: plan.toolCall.name, arguments: JSON.stringify(plan.toolCall.arguments) },
      },
    ];
    const finishReason = toolCalls ? 'tool_calls' : plan.doneReason;
    const delta = (d: Record<string, unknown>) => ({
      ...head,
      choices: [{ index: 0, delta: { role: 'assistant', content: '', ...d }, finish_reason: null }],
    });
    const chunks: unknown[] = [];
    for (const reasoning of plan.thinking) chunks.push(delta({ reasoning }));
    for (const content of plan.content) chunks.push(delta({ content }));
    if (toolCalls) chunks.push(delta({ tool_calls: toolCalls }));
    const evalCount = chunks.length;
    const usage = {
      prompt_tokens: plan.promptTokens,
      completion_tokens: evalCount,
      total_tokens: plan.promptTokens + evalCount,
    };
    const includeUsage =
      (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    await sendGeneration(
      ex,
      {
        chunks,
        final: () => {
          const last = {
            ...head,
            choices: [
              { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: finishReason },
            ],
          };
          return includeUsage ? [last, { ...head, choices: [], usage }] : [last];
        },
        aggregate: () => {
          const message: Record<string, unknown> = {
            role: 'assistant',
            content: plan.content.join(''),
          };
          if (plan.thinking.length > 0) message.reasoning = plan.thinking.join('');
          if (toolCalls) message.tool_calls = toolCalls;
          return {
            id,
            object: 'chat.completion',
            created,
            model: name,
            system_fingerprint: 'fp_ollama',
            choices: [{ index: 0, message, finish_reason: finishReason }],
            usage,
          };
        },
      },
      body.stream === true,
      SSE,
      state.chunkDelayMs,
    );
  },
};
