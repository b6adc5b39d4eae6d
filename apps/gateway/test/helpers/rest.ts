/** Plain-fetch helpers for the REST front (`/api/v1`), as a Python or curl caller uses it. */

export interface RestAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  // biome-ignore lint/suspicious/noExplicitAny: answers are arbitrary JSON, read by path in tests
  json: any;
}

export interface RestOptions {
  key?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export async function rest(
  baseUrl: string,
  method: string,
  path: string,
  options: RestOptions = {},
): Promise<RestAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal ?? null,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export interface SseFrame {
  event: string;
  // biome-ignore lint/suspicious/noExplicitAny: events are arbitrary JSON, read by path in tests
  data: any;
}

/** Parses a whole `text/event-stream` body (comments such as pings are skipped). */
export function sseFrames(text: string): SseFrame[] {
  const frames: SseFrame[] = [];
  for (const block of text.split('\n\n')) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) frames.push({ event, data: JSON.parse(data.join('\n')) });
  }
  return frames;
}
