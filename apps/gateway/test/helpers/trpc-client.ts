import {
  createTRPCClient,
  httpBatchStreamLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import type { AppRouter } from '../../src/index.js';

/** The real tRPC client as an SDK user would build it: SSE for subscriptions, batch-stream else. */
export function createTestClient(baseUrl: string, apiKey?: string) {
  const url = `${baseUrl}/trpc`;
  const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          transformer: superjson,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input: string | URL | Request, init?: RequestInit) =>
              fetch(input, { ...init, headers: { ...(init?.headers as object), ...headers } }),
          }),
        }),
        false: httpBatchStreamLink({ url, transformer: superjson, headers }),
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
