/** One Server-Sent Event as the gateway writes it. */
export interface SseEvent {
  /** `event:` field; `message` when absent. */
  event: string;
  data: string;
  id: string | undefined;
}

/**
 * Parses a Server-Sent Events body (WHATWG rules for the fields the gateway uses: `event`,
 * `data`, `id`, comments) from a fetch response stream, as it arrives. A body that ends cleanly
 * ends the iteration; a dropped connection rejects (fetch's own error).
 */
export async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      if (buffer.includes('\r')) buffer = buffer.replace(/\r\n?/g, '\n');
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = parseBlock(block);
        if (event) yield event;
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    // Leaving early (unsubscribe, error): stop reading; the caller aborts the request too.
    reader.releaseLock();
  }
}

function parseBlock(block: string): SseEvent | undefined {
  let event = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id') id = value;
  }
  return data.length === 0 ? undefined : { event, data: data.join('\n'), id };
}
