import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import type { RequestContext } from '@intellicore/llm-core';
import { DEMO_MODEL_NAME, ensureDemoModel } from '@intellicore/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../src/testing.js';

// Real tokens through the new fronts: the official Anthropic and openai SDKs → gateway →
// embedded engine (llama.cpp on the generated demo model), no double anywhere. What each SDK
// gets is compared with what the engine computes when asked directly (core service, greedy).
const MODEL = DEMO_MODEL_NAME;
const direct: RequestContext = { caller: { keyId: null, admin: false }, door: 'trpc' };
const PROMPT = 'Tell me a story about the sea.';
const N = 12;

let modelsDir: string;
let gw: TestGateway;
let anthropic: Anthropic;
let openai: OpenAI;

beforeAll(async () => {
  modelsDir = await mkdtemp(join(tmpdir(), 'fronts-real-'));
  await ensureDemoModel(modelsDir);
  gw = await startTestGateway({
    env: { MODELS_DIR: modelsDir, ALLOWED_MODELS: MODEL },
    waitReady: true,
  });
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'unused', maxRetries: 0 });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  // Loads the model (seconds on a busy machine), so that the tests time generation only.
  await gw.service.generate(
    { model: MODEL, prompt: 'warm up', options: { num_predict: 1 } },
    direct,
  );
}, 120_000);

afterAll(async () => {
  await gw?.close();
  if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
});

const options = { temperature: 0, num_predict: N };

describe('the new fronts on the embedded engine', { timeout: 30_000 }, () => {
  it('/v1/messages: non-stream and stream give the tokens the engine computes', async () => {
    const expected = await gw.service.chat(
      { model: MODEL, messages: [{ role: 'user', content: PROMPT }], options },
      direct,
    );
    expect(expected.doneReason).toBe('length');
    expect(expected.message.content.length).toBeGreaterThan(0);
    const request = {
      model: MODEL,
      max_tokens: N,
      temperature: 0,
      messages: [{ role: 'user' as const, content: PROMPT }],
    };
    const msg = await anthropic.messages.create(request);
    expect(msg.content).toEqual([{ type: 'text', text: expected.message.content }]);
    expect(msg.stop_reason).toBe('max_tokens');
    expect(msg.usage.output_tokens).toBe(expected.metrics.evalCount);

    const streamed = await anthropic.messages.stream(request).finalMessage();
    expect(streamed.content).toEqual([{ type: 'text', text: expected.message.content }]);
    expect(streamed.usage).toMatchObject({
      input_tokens: expected.metrics.promptEvalCount,
      output_tokens: expected.metrics.evalCount,
    });
  });

  it('/v1/responses: output_text is the engine answer, stream and not', async () => {
    const expected = await gw.service.chat(
      {
        model: MODEL,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: PROMPT },
        ],
        options,
      },
      direct,
    );
    const request = {
      model: MODEL,
      instructions: 'Be brief.',
      input: PROMPT,
      temperature: 0,
      max_output_tokens: N,
    };
    const out = await openai.responses.create(request);
    expect(out.output_text).toBe(expected.message.content);
    expect(out.status).toBe('incomplete');
    const final = await openai.responses.stream(request).finalResponse();
    expect(final.output_text).toBe(expected.message.content);
    expect(final.usage?.output_tokens).toBe(expected.metrics.evalCount);
  });

  it('/v1/completions: the text core generate computes', async () => {
    const expected = await gw.service.generate({ model: MODEL, prompt: PROMPT, options }, direct);
    expect(expected.response.length).toBeGreaterThan(0);
    const out = await openai.completions.create({
      model: MODEL,
      prompt: PROMPT,
      temperature: 0,
      max_tokens: N,
    });
    expect(out.choices[0]?.text).toBe(expected.response);
    expect(out.choices[0]?.finish_reason).toBe('length');
    const stream = await openai.completions.create({
      model: MODEL,
      prompt: PROMPT,
      temperature: 0,
      max_tokens: N,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe(expected.response);
  });
});
