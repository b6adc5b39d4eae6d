/**
 * Many streams at once: N concurrent chat streams (20 chunks, 100 ms apart: ~2 s each) straight
 * to the fake, then through the floor proxy (the reference: a bare keep-alive Node.js proxy) and
 * each door of the gateway, one after the other. Reports the time until the last stream ended,
 * and the proxy's RSS per open stream (peak minus before, over N).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { chatStream, createGatewayClient } from '@intellicore/llm-client';
import type { MeasuredChild } from './processes/child.js';
import { CHAT_MODEL } from './processes/fake.js';

export interface ManyStreamsRow {
  door: string;
  streams: number;
  directMs: number;
  gatewayMs: number;
  /** gateway / direct wall time. */
  ratio: number;
  /** (peak RSS during the run − RSS before) / streams, bytes. */
  rssPerStream: number;
  errors: number;
  firstError?: string;
  /** The floor proxy, not a door of the gateway: what any Node.js proxy pays at this N. */
  reference?: boolean;
}

/** 19 words after "echo(llama3.2): " → the fake answers in 20 chunks. */
const PROMPT = Array.from({ length: 19 }, (_, i) => `w${i}`).join(' ');
const messages = [{ role: 'user', content: PROMPT }];
const body = (path: string) =>
  JSON.stringify(
    path === '/trpc/chat.stream'
      ? { model: CHAT_MODEL, messages }
      : path === '/v1/messages'
        ? { model: CHAT_MODEL, messages, stream: true, max_tokens: 64 }
        : { model: CHAT_MODEL, messages, stream: true },
  );
const DONE: Record<string, string> = {
  '/api/chat': '"done":true',
  '/v1/chat/completions': 'data: [DONE]',
  '/trpc/chat.stream': '"type":"done"',
  '/api/v1/chat/completions': '"type":"done"',
  '/v1/messages': 'event: message_stop',
};

function rawStream(agent: http.Agent, base: string, path: string): Promise<void> {
  const url = new URL(path, base);
  const payload = body(path);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        method: 'POST',
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          text.includes(DONE[path] ?? '\u0000')
            ? resolve()
            : reject(new Error(`${path}: cut short`)),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/**
 * Runs `one` n times at once, each run on a fresh agent: reusing the sockets of the previous row
 * races the server's keep-alive timeout (the gateway's is 5 s; a row plus its direct twin can
 * last that long) and a reused socket closing under the request is "socket hang up": a client
 * artefact, not a gateway fault.
 */
async function runAll(n: number, one: (agent: http.Agent) => Promise<void>) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: n }, () =>
      one(agent).catch((error: unknown) => {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }),
    ),
  );
  const ms = performance.now() - start;
  agent.destroy();
  return { ms, errors, firstError };
}

export interface ManyStreamsTargets {
  fakeUrl: string;
  gatewayUrl: string;
  gateway: MeasuredChild;
  /** The floor proxy in front of the same fake, measured at each N as a reference row. */
  floor?: { url: string; process: MeasuredChild };
}

/** Every door at each N; the direct run is repeated before each door so drift hits both. */
export async function runManyStreams(
  targets: ManyStreamsTargets,
  counts: number[],
  log: (line: string) => void,
): Promise<ManyStreamsRow[]> {
  const sdk = createGatewayClient({ url: targets.gatewayUrl });
  const doors: Array<[string, (agent: http.Agent) => Promise<void>]> = [
    ['/api', (agent) => rawStream(agent, targets.gatewayUrl, '/api/chat')],
    ['/v1', (agent) => rawStream(agent, targets.gatewayUrl, '/v1/chat/completions')],
    ['tRPC POST', (agent) => rawStream(agent, targets.gatewayUrl, '/trpc/chat.stream')],
    ['REST', (agent) => rawStream(agent, targets.gatewayUrl, '/api/v1/chat/completions')],
    ['Anthropic', (agent) => rawStream(agent, targets.gatewayUrl, '/v1/messages')],
    [
      'SDK chatStream',
      async () => {
        const stream = chatStream(sdk, {
          model: CHAT_MODEL,
          messages: [{ role: 'user', content: PROMPT }],
        });
        for await (const _ of stream) {
          // drain
        }
        await stream.result;
      },
    ],
  ];
  const runs: Array<{
    door: string;
    measured: MeasuredChild;
    reference: boolean;
    one: (agent: http.Agent) => Promise<void>;
  }> = doors.map(([door, one]) => ({ door, measured: targets.gateway, reference: false, one }));
  const { floor } = targets;
  if (floor) {
    runs.unshift({
      door: 'floor proxy (/api)',
      measured: floor.process,
      reference: true,
      one: (agent) => rawStream(agent, floor.url, '/api/chat'),
    });
  }
  const rows: ManyStreamsRow[] = [];
  for (const n of counts) {
    for (const { door, measured, reference, one } of runs) {
      const direct = await runAll(n, (agent) => rawStream(agent, targets.fakeUrl, '/api/chat'));
      await new Promise((r) => setTimeout(r, 300));
      const before = measured.rss.sample();
      measured.rss.reset();
      const through = await runAll(n, one);
      const peak = measured.rss.peak();
      const row: ManyStreamsRow = {
        ...(reference ? { reference } : {}),
        door,
        streams: n,
        directMs: direct.ms,
        gatewayMs: through.ms,
        ratio: through.ms / direct.ms,
        rssPerStream: Math.max(0, peak - before) / n,
        errors: direct.errors + through.errors,
        ...(direct.firstError || through.firstError
          ? { firstError: direct.firstError ?? through.firstError }
          : {}),
      };
      rows.push(row);
      log(
        `many-streams ${door} N=${n}: direct ${Math.round(direct.ms)} ms, gateway ${Math.round(through.ms)} ms (${row.ratio.toFixed(2)}×), ${(row.rssPerStream / 1024).toFixed(1)} KB/stream` +
          (row.errors ? `; ERRORS ${row.errors}: ${row.firstError}` : ''),
      );
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return rows;
}
