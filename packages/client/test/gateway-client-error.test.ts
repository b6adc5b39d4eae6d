import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { GatewayClientError, isGatewayClientError } from '../src/index.js';

/** Conversions the live tests cannot easily provoke (a proxy's bare status, other shapes). */
describe('GatewayClientError.from', () => {
  const fromShape = (data: Record<string, unknown>, message = 'boom') =>
    GatewayClientError.from(TRPCClientError.from({ error: { code: -32600, message, data } }));

  it("reads the gateway's error data", () => {
    const error = fromShape({
      code: 'TOO_MANY_REQUESTS',
      httpStatus: 429,
      gatewayCode: 'RATE_LIMITED',
      fieldErrors: null,
      retryAfterSeconds: 7,
      details: null,
    });
    expect(isGatewayClientError(error)).toBe(true);
    expect(error).toMatchObject({
      gatewayCode: 'RATE_LIMITED',
      httpStatus: 429,
      retryAfterSeconds: 7,
    });
    expect(error.fieldErrors).toEqual([]);
    expect(error.details).toBeUndefined();
    expect(error.cause).toBeInstanceOf(TRPCClientError);
  });

  it('accepts field errors as a list or as zod flattenError output', () => {
    const listed = fromShape({
      gatewayCode: 'BAD_REQUEST',
      fieldErrors: [{ path: 'messages', message: 'must contain at least one message' }],
    });
    expect(listed.fieldErrors).toEqual([
      { path: 'messages', message: 'must contain at least one message' },
    ]);
    const flattened = fromShape({
      code: 'BAD_REQUEST',
      zodError: { fieldErrors: { name: ['Required'] } },
    });
    expect(flattened.gatewayCode).toBe('BAD_REQUEST');
    expect(flattened.fieldErrors).toEqual([{ path: 'name', message: 'Required' }]);
  });

  it("maps tRPC's own codes when no gatewayCode is present", () => {
    expect(fromShape({ code: 'UNAUTHORIZED' }).gatewayCode).toBe('UNAUTHORIZED');
    expect(fromShape({ code: 'NOT_FOUND' }).gatewayCode).toBe('NOT_FOUND');
    expect(fromShape({ code: 'PAYLOAD_TOO_LARGE' }).gatewayCode).toBe('PAYLOAD_TOO_LARGE');
    expect(fromShape({ code: 'SOMETHING_NEW' }).gatewayCode).toBe('INTERNAL');
  });

  it('maps a bare HTTP status (an SSE stream refused by a proxy) and network failures', () => {
    const refused = GatewayClientError.from(
      TRPCClientError.from({ type: 'error', code: 401, message: 'Non-200 status code (401)' }),
    );
    expect(refused).toMatchObject({ gatewayCode: 'UNAUTHORIZED', httpStatus: 401 });
    const unreachable = GatewayClientError.from(
      TRPCClientError.from(new TypeError('fetch failed')),
    );
    expect(unreachable.gatewayCode).toBe('NETWORK_ERROR');
    expect(unreachable.message).toBe('fetch failed');
  });

  it('turns aborts into CANCELLED and keeps an existing GatewayClientError', () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    expect(GatewayClientError.from(abort).gatewayCode).toBe('CANCELLED');
    expect(GatewayClientError.from(TRPCClientError.from(abort)).gatewayCode).toBe('CANCELLED');
    const kept = new GatewayClientError('OVERLOADED', 'busy', { retryAfterSeconds: 2 });
    expect(GatewayClientError.from(kept)).toBe(kept);
  });
});
