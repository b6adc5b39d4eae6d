/** What a consumer of the SDK writes: right calls (must compile) and the header of wrong ones. */

export const HEADER = `import { chatStream, createGatewayClient, GatewayClientError } from '@intellicore/llm-client';
const client = createGatewayClient({ url: 'http://localhost:8001', apiKey: 'key' });
`;

export const RIGHT = `${HEADER}
import { generateStream, isGatewayClientError, renderAndChatStream, type GatewayErrorCode, type RouterInputs, type RouterOutputs } from '@intellicore/llm-client';

export async function main(signal: AbortSignal): Promise<void> {
  const models: RouterOutputs['models']['list'] = await client.models.list.query();
  const firstName: string | undefined = models[0]?.name;
  const show = await client.models.get.query({ name: 'llama3.2' });
  const caps: string[] | undefined = show.capabilities;

  const input: RouterInputs['chat']['completion'] = {
    model: 'llama3.2',
    messages: [{ role: 'user', content: 'hi' }],
    options: { temperature: 0.2, num_ctx: 2048 },
  };
  const answer = await client.chat.completion.mutate(input);
  const text: string = answer.message.content;
  const tokens: number = answer.usage.totalTokens;

  const stream = chatStream(client, { messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'u' }] }, { signal });
  for await (const delta of stream) {
    const piece: string = delta;
    void piece;
  }
  const final = await stream.result;
  const ttft: number | undefined = final.timings.ttftMs;
  const completionTokens: number = final.usage.completionTokens;

  const generated = generateStream(client, { prompt: 'p' }, { signal });
  for await (const piece of generated) void piece;
  const response: string = (await generated.result).response;
  const rendered = renderAndChatStream(client, { id: 'rag-answer', variables: { question: 'q' } });
  for await (const piece of rendered) void piece;
  const repaired: boolean = (await rendered.result).repaired;

  try {
    await client.models.delete.mutate({ name: 'x' });
  } catch (error) {
    const e = GatewayClientError.from(error);
    const code: GatewayErrorCode | 'NETWORK_ERROR' = e.gatewayCode;
    const retry: number | undefined = e.retryAfterSeconds;
    const field: string | undefined = e.fieldErrors[0]?.path;
    if (isGatewayClientError(e) && e.gatewayCode === 'MODEL_NOT_ALLOWED') void 0;
    void [code, retry, field];
  }
  void [firstName, caps, text, tokens, ttft, completionTokens, response, repaired];
}
`;
