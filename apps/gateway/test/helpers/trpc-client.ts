import {
  createTRPCClient,
  httpBatchStreamLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import { type AppRouter, plainJson } from '../../src/index.js';

/** A standard tRPC client with tRPC's own links (GET SSE subscriptions, JSONL batch streams):
 * what a tRPC user who does not use the SDK builds. It goes through tRPC's own node adapter. */
export function createTestClient(
  baseUrl: string,
  apiKey?: string,
  extraHeaders: Record<string, string> = {},
) {
  const url = `${baseUrl}/trpc`;
  const headers: Record<string, string> = {
    ...extraHeaders,
    ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
  };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          transformer: plainJson,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input: string | URL | Request, init?: RequestInit) =>
              fetch(input, { ...init, headers: { ...(init?.headers as object), ...headers } }),
          }),
        }),
        false: httpBatchStreamLink({ url, headers, transformer: plainJson }),
      }),
    ],
  });
}

export type TestClient = ReturnType<typeof createTestClient>;

/** Runs a subscription (tRPC's async-iterator form) to its end and returns its events; rejects
 * with the subscription's error. */
export async function collect<T>(
  events: AsyncIterable<T>,
  onEvent?: (event: T) => void,
): Promise<T[]> {
  const out: T[] = [];
  for await (const event of events) {
    out.push(event);
    onEvent?.(event);
  }
  return out;
}

/** The gateway's error data of a failed call (fails the test when it is not a tRPC error). */
export function errorData(error: unknown) {
  if (!(error instanceof TRPCClientError)) throw new Error(`not a tRPC error: ${String(error)}`);
  return error.data as {
    code: string;
    httpStatus: number;
    gatewayCode: string;
    fieldErrors: Array<{ path: string; message: string }> | null;
    retryAfterSeconds: number | null;
    details: Record<string, unknown> | null;
    stack?: string;
  };
}

export async function failureOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return errorData(error);
  }
  throw new Error('expected the call to fail');
}
