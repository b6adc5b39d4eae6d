import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Journal } from './journal.js';
import type { Fault, JournalEntry } from './types.js';

/** Which error shape a route speaks: Ollama's flat one or OpenAI's nested one. */
export type Flavor = 'ollama' | 'openai';

const JSON_TYPE = 'application/json; charset=utf-8';

/** OpenAI error `type` for a status, as Ollama's own /v1 middleware picks it. */
export function openAiErrorType(status: number): string {
  if (status === 400) return 'invalid_request_error';
  if (status === 404) return 'not_found_error';
  return 'api_error';
}

export function errorBody(flavor: Flavor, status: number, message: string): object {
  if (flavor === 'ollama') return { error: message };
  return { error: { message, type: openAiErrorType(status), param: null, code: null } };
}

/**
 * One request/response pair: writes responses, records them in the journal, and owns every
 * timer the request waits on, so that a client going away (or the server closing) ends all of
 * them at once and nothing is left behind.
 */
export class Exchange {
  readonly startNs = process.hrtime.bigint();
  fault: Fault | undefined;
  flavor: Flavor = 'ollama';
  /** The connection is gone (client left, server dropped it, or the server is closing). */
  closed = false;
  /** Nanoseconds spent "loading the model" for this request. */
  loadNs = 0;
  private serverEnded = false;
  private waits = new Set<() => void>();

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly entry: JournalEntry,
    journal: Journal,
  ) {
    res.once('finish', () => {
      entry.finishedAt = Date.now();
      journal.touch(entry);
    });
    res.once('close', () => {
      if (!res.writableFinished && !this.serverEnded) {
        entry.clientClosed = true;
        entry.closedAt = Date.now();
        journal.touch(entry);
      }
      this.end();
    });
  }

  /** Resolves true after `ms`, or false as soon as the exchange ends (the timer is cleared). */
  sleep(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waits.delete(wake);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.waits.delete(wake);
        resolve(true);
      }, ms);
      this.waits.add(wake);
    });
  }

  /** Waits until the exchange ends: the "never answer" fault. */
  hang(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.waits.delete(wake);
        resolve();
      };
      this.waits.add(wake);
    });
  }

  /** Waits for 'drain' after a write that filled the buffer; false if the exchange ended. */
  drain(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = () => {
        this.waits.delete(wake);
        this.res.off('drain', onDrain);
        resolve(false);
      };
      const onDrain = () => {
        this.waits.delete(wake);
        resolve(!this.closed);
      };
      this.res.once('drain', onDrain);
      this.waits.add(wake);
    });
  }

  /** Ends every wait of this exchange (client gone or server closing). */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    for (const wake of [...this.waits]) wake();
  }

  /** The server is closing: wake the waits; the sockets are destroyed by the server. */
  abortByServer(): void {
    this.serverEnded = true;
    this.end();
  }

  head(status: number, contentType: string): void {
    this.entry.status = status;
    this.res.writeHead(status, { 'Content-Type': contentType });
  }

  json(status: number, body: unknown): void {
    this.send(status, JSON_TYPE, JSON.stringify(body));
  }

  send(status: number, contentType: string | undefined, text: string): void {
    if (this.closed) return;
    this.entry.status = status;
    const headers: Record<string, string | number> = { 'Content-Length': Buffer.byteLength(text) };
    if (contentType) headers['Content-Type'] = contentType;
    this.res.writeHead(status, headers);
    this.res.end(text);
  }

  error(status: number, message: string): void {
    this.json(status, errorBody(this.flavor, status, message));
  }

  /** 200 with an empty body, as /api/delete and /api/copy answer. */
  empty(status = 200): void {
    this.send(status, undefined, '');
  }

  /** Cuts the connection mid-response: what was written is flushed, then the socket closes. */
  drop(): void {
    this.serverEnded = true;
    const socket = this.res.socket;
    if (socket) socket.end(() => socket.destroy());
    else this.res.destroy();
    this.end();
  }

  /** Resets the connection before any byte of the answer: the client sees ECONNRESET. */
  reset(): void {
    this.serverEnded = true;
    const socket = this.res.socket;
    if (socket) socket.resetAndDestroy();
    else this.res.destroy();
    this.end();
  }

  /** Ends the response body normally (for streams: without the closing chunk's `done`). */
  finish(): void {
    if (!this.closed) this.res.end();
  }
}
