import { keepAliveMs } from '../models.js';
import { NDJSON, sendGeneration } from '../stream.js';
import { planReply, toMessages } from './chat-plan.js';
import {
  loadModel,
  metrics,
  numPredict,
  optionsError,
  type Route,
  requireModel,
} from './common.js';
import { loadOnly } from './load-only.js';

/** POST /api/chat */
export const chatRoute: Route = {
  flavor: 'ollama',
  body: true,
  inference: true,
  async handle(ex, body, state) {
    const found = requireModel(ex, body, state);
    if (!found) return;
    const { name, model } = found;
    const optErr = optionsError(body.options);
    if (optErr) return ex.error(500, optErr);
    const stream = body.stream !== false;
    if (!(await loadModel(ex, state, model, body.keep_alive))) return;
    const messages = toMessages(body.messages);
    if (messages.length === 0) {
      return loadOnly(ex, state, model.name, name, stream, body.keep_alive, (done) => ({
        ...done,
        message: { role: 'assistant', content: '' },
      }));
    }
    const plan = planReply({
      model: name,
      messages,
      tools: Array.isArray(body.tools) ? body.tools : [],
      format: body.format,
      think: body.think,
      maxTokens: numPredict(body.options),
    });
    const chunk = (message: Record<string, unknown>) => () => ({
      model: name,
      created_at: new Date().toISOString(),
      message: { role: 'assistant', content: '', ...message },
      done: false,
    });
    const toolCalls = plan.toolCall && [
      { function: { index: 0, name: plan.toolCall.name, arguments: plan.toolCall.arguments } },
    ];
    const chunks: unknown[] = [];
    for (const thinking of plan.thinking) chunks.push(chunk({ thinking }));
    for (const content of plan.content) chunks.push(chunk({ content }));
    if (toolCalls) chunks.push(chunk({ tool_calls: toolCalls }));
    const streamStart = process.hrtime.bigint();
    await sendGeneration(
      ex,
      {
        chunks,
        final: () => {
          if (keepAliveMs(body.keep_alive) === 0) state.registry.unload(model.name);
          return [
            {
              model: name,
              created_at: new Date().toISOString(),
              message: { role: 'assistant', content: '' },
              done: true,
              done_reason: plan.doneReason,
              ...metrics(ex, plan.promptTokens, chunks.length, streamStart),
            },
          ];
        },
        aggregate: (closing) => {
          const message: Record<string, unknown> = {
            role: 'assistant',
            content: plan.content.join(''),
          };
          if (plan.thinking.length > 0) message.thinking = plan.thinking.join('');
          if (toolCalls) message.tool_calls = toolCalls;
          return { ...(closing[0] as object), message };
        },
      },
      stream,
      NDJSON,
      state.chunkDelayMs,
    );
  },
};
