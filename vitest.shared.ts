import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Tests run against sources, not dist, so a test run never sees a stale build. */
export const sourceAliases = {
  '@intellicore/llm-core': here('./packages/core/src/index.ts'),
  '@intellicore/testkit': here('./packages/testkit/src/index.ts'),
  '@intellicore/llm-gateway': here('./apps/gateway/src/index.ts'),
  '@intellicore/llm-client': here('./packages/client/src/index.ts'),
};
