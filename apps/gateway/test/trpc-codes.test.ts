/**
 * Every tRPC error code keeps its own meaning as a gatewayCode (NOT_FOUND stays NOT_FOUND,
 * TIMEOUT is REQUEST_TIMEOUT, PAYLOAD_TOO_LARGE stays PAYLOAD_TOO_LARGE…), checked through the
 * gateway's own error formatter with tRPC's fetch adapter in process (no server).
 */
import { HTTP_STATUS_BY_CODE } from '@intellicore/llm-core';
import { type TRPC_ERROR_CODE_KEY, TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GATEWAY_CODE_BY_TRPC_CODE } from '../src/errors.js';
import { newRecord } from '../src/observability/request-record.js';
import { publicProcedure, router } from '../src/trpc.js';

describe('every tRPC code keeps its own meaning as a gatewayCode', () => {
  const codes = Object.keys(TRPC_ERROR_CODES_BY_KEY) as TRPC_ERROR_CODE_KEY[];
  // tRPC codes with no gateway code of their own fold into the nearest one (none of them is
  // thrown by the gateway today; a client still learns it was its request that was wrong).
  const FOLDED: Partial<Record<TRPC_ERROR_CODE_KEY, string>> = {
    UNPROCESSABLE_CONTENT: 'BAD_REQUEST',
    PRECONDITION_FAILED: 'BAD_REQUEST',
    PRECONDITION_REQUIRED: 'BAD_REQUEST',
    PAYMENT_REQUIRED: 'BUDGET_EXCEEDED',
  };

  it('the table is total, and each code keeps its HTTP status class unless it is folded', () => {
    expect(Object.keys(GATEWAY_CODE_BY_TRPC_CODE).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      const gatewayCode = GATEWAY_CODE_BY_TRPC_CODE[code];
      const trpcStatus = getHTTPStatusCodeFromError(new TRPCError({ code }));
      if (FOLDED[code]) expect(gatewayCode, code).toBe(FOLDED[code]);
      else expect(HTTP_STATUS_BY_CODE[gatewayCode], code).toBe(trpcStatus);
    }
    expect(GATEWAY_CODE_BY_TRPC_CODE.NOT_FOUND).toBe('NOT_FOUND');
    expect(GATEWAY_CODE_BY_TRPC_CODE.TIMEOUT).toBe('REQUEST_TIMEOUT');
    expect(GATEWAY_CODE_BY_TRPC_CODE.PAYLOAD_TOO_LARGE).toBe('PAYLOAD_TOO_LARGE');
    expect(GATEWAY_CODE_BY_TRPC_CODE.METHOD_NOT_SUPPORTED).toBe('METHOD_NOT_ALLOWED');
    expect(GATEWAY_CODE_BY_TRPC_CODE.UNSUPPORTED_MEDIA_TYPE).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('a TRPCError of each code, through the gateway’s own error formatter, answers its gatewayCode', async () => {
    const probe = router({
      fail: publicProcedure.input(z.object({ code: z.string() })).query(({ input }) => {
        throw new TRPCError({ code: input.code as TRPC_ERROR_CODE_KEY, message: 'probe' });
      }),
    });
    for (const code of codes) {
      const input = encodeURIComponent(JSON.stringify({ code }));
      const res = await fetchRequestHandler({
        endpoint: '/trpc',
        req: new Request(`http://probe.local/trpc/fail?input=${input}`),
        router: probe,
        createContext: () => {
          const record = newRecord('GET', 'trpc', 'probe');
          return { requestId: record.id, caller: null, record };
        },
      });
      const data = (await res.json()).error.data;
      expect(data.gatewayCode, code).toBe(GATEWAY_CODE_BY_TRPC_CODE[code]);
      expect(res.status, code).toBe(getHTTPStatusCodeFromError(new TRPCError({ code })));
    }
  });
});
