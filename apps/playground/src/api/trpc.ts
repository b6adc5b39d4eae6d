import type { AppRouter } from '@intellicore/llm-client';
import { createTRPCContext } from '@trpc/tanstack-react-query';

/**
 * tRPC's TanStack Query integration, typed by the gateway's router as the SDK exports it:
 * `useTRPC().models.list.queryOptions()` is checked against the server's zod schemas at build time.
 */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();
