import { fnv1a } from '../deterministic.js';
import { keepAliveMs } from '../models.js';
import { NDJSON, sendGeneration } from '../stream.js';
import { planReply } from './chat-plan.js';
import {
  loadModel,
  metrics,
  numPredict,
  optionsError,
  type Route,
  requireModel,
} from './common.js';
import { loadOnly } from './load-only.js';

/** POST /api/generate */
export const generateRoute: Route = {
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
    const prompt = typeof body.prompt === 'string' ? body.prompt : '';
    if (prompt === '') {
      return loadOnly(ex, state, model.name, name, stream, body.keep_alive, (done) => ({
        ...done,
        response: '',
      }));
    }
    const plan = planReply({
      model: name,
      prompt,
      system: typeof body.system === 'string' ? body.system : undefined,
      format: body.format,
      think: body.think,
      maxTokens: numPredict(body.options),
    });
    const chunk = (fields: Record<string, unknown>) => () => ({
      model: name,
      created_at: new Date().toISOString(),
      response: '',
      ...fields,
      done: false,
    });
    const chunks: unknown[] = [];
    for (const thinking of plan.thinking) chunks.push(chunk({ thinking }));
    for (const response of plan.content) chunks.push(chunk({ response }));
    const streamStart = process.hrtime.bigint();
    await sendGeneration(
      ex,
      {
        chunks,
        final: () => {
          if (keepAliveMs(body.keep_alive) === 0) state.registry.unload(model.name);
          const done: Record<string, unknown> = {
            model: name,
            created_at: new Date().toISOString(),
            response: '',
            done: true,
            done_reason: plan.doneReason,
          };
          // Ollama returns the conversation as token ids unless the prompt is raw.
          if (body.raw !== true)
            done.context = fakeContext(prompt, plan.promptTokens + chunks.length);
          return [{ ...done, ...metrics(ex, plan.promptTokens, chunks.length, streamStart) }];
        },
        aggregate: (closing) => {
          const out: Record<string, unknown> = {
            ...(closing[0] as object),
            response: plan.content.join(''),
          };
          if (plan.thinking.length > 0) out.thinking = plan.thinking.join('');
          return out;
        },
      },
      stream,
      NDJSON,
      state.chunkDelayMs,
    );
  },
};

function fakeContext(prompt: string, length: number): number[] {
  const seed = fnv1a(prompt);
  return Array.from({ length }, (_, i) => ((seed + i * 7919) % 128000) + 1);
}
