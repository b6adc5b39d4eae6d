import http from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * The load generator's own HTTP client: node:http with a keep-alive agent. The same client is
 * used for the direct path and the gateway path, so its cost cancels out of "added latency".
 * (Cheaper per request than global fetch, which matters when the generator shares 2 cores.)
 */
export interface HttpClient {
  /** POST JSON, read the whole body; rejects on a non-2xx status with the body's start. */
  postJson(url: URL, body: string, headers?: Record<string, string>): Promise<string>;
  /**
   * POST and read a streamed body (NDJSON or SSE). Returns the instant the first chunk with
   * token text arrived; rejects when `isComplete(body)` is false at the end (a truncated stream).
   */
  postStream(url: URL, body: string, isComplete: (body: string) => boolean): Promise<number>;
  /** GET a streamed body (an SSE subscription), as postStream. */
  getStream(url: URL, isComplete: (body: string) => boolean): Promise<number>;
  close(): void;
}

/** Matches a chunk that carries token text in any of the wire formats (Ollama, OpenAI, tRPC). */
const TOKEN_TEXT = /"(?:content|response)":"[^"]/;

export function createHttpClient(): HttpClient {
  const agent = new http.Agent({ keepAlive: true, scheduling: 'lifo' });

  const send = (url: URL, body: string | undefined, headers: Record<string, string> | undefined) =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request(
        {
          agent,
          method: body === undefined ? 'GET' : 'POST',
          hostname: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          headers:
            body === undefined
              ? { accept: 'text/event-stream', ...headers }
              : {
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(body),
                  ...headers,
                },
        },
        resolve,
      );
      request.on('error', reject);
      request.end(body);
    });

  const readStream = async (
    url: URL,
    response: http.IncomingMessage,
    isComplete: (body: string) => boolean,
  ) => {
    let firstTokenAt: number | undefined;
    let text = '';
    response.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      response.on('data', (chunk: string) => {
        if (firstTokenAt === undefined && TOKEN_TEXT.test(chunk)) firstTokenAt = performance.now();
        text += chunk;
      });
      response.on('end', resolve);
      response.on('error', reject);
    });
    check(url, response, text);
    if (!isComplete(text)) throw new Error(`${url.pathname}: stream ended without terminator`);
    if (firstTokenAt === undefined) throw new Error(`${url.pathname}: stream carried no tokens`);
    return firstTokenAt;
  };

  const readAll = (response: http.IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => resolve(text));
      response.on('error', reject);
    });

  const check = (url: URL, response: http.IncomingMessage, text: string) => {
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      throw new Error(`${url.pathname} → HTTP ${status}: ${text.slice(0, 200)}`);
    }
  };

  return {
    async postJson(url, body, headers) {
      const response = await send(url, body, headers);
      const text = await readAll(response);
      check(url, response, text);
      return text;
    },
    async postStream(url, body, isComplete) {
      return readStream(url, await send(url, body, undefined), isComplete);
    },
    async getStream(url, isComplete) {
      return readStream(url, await send(url, undefined, undefined), isComplete);
    },
    close() {
      agent.destroy();
    },
  };
}
