import {
  type ChatStreamInput,
  type ChatStreamResult,
  chatStream,
  type GatewayClient,
} from '@intellicore/llm-client';

/**
 * One streamed answer over the SDK's `chatStream`: `onText` gets the text so far after every
 * delta; resolves with the final result (usage, timings, thinking), rejects on failure
 * (CANCELLED when `signal` aborts; the gateway then closes the upstream request).
 */
export async function streamAnswer(
  client: GatewayClient,
  input: ChatStreamInput,
  signal: AbortSignal,
  onText: (text: string) => void,
): Promise<ChatStreamResult> {
  const stream = chatStream(client, input, { signal });
  let text = '';
  for await (const delta of stream) {
    text += delta;
    onText(text);
  }
  return stream.result;
}
