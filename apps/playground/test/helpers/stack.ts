import { fileURLToPath } from 'node:url';
import { startTestGateway, type TestGateway } from '@intellicore/llm-gateway';
import {
  DEFAULT_FAKE_MODELS,
  type FakeModel,
  type FakeOllama,
  startFakeOllama,
} from '@intellicore/testkit';

export const USER_KEY = 'sk-playground-user';
export const ADMIN_KEY = 'sk-playground-admin';
export const PLAYGROUND_DIR = fileURLToPath(new URL('../../dist', import.meta.url));

export interface Stack {
  /** The gateway's origin: it serves the playground, the API and /docs.json. */
  url: string;
  fake: FakeOllama;
  gateway: TestGateway;
  close(): Promise<void>;
}

/** A real gateway on loopback (keys required) in front of the fake Ollama, serving the build. */
export async function startStack(
  options: { loaded?: string[]; models?: FakeModel[]; env?: Record<string, string> } = {},
): Promise<Stack> {
  const fake = await startFakeOllama(options.models ? { models: options.models } : {});
  // Before the gateway's first health check, which is when it learns what is loaded where.
  if (options.loaded) fake.setLoaded(options.loaded);
  const gateway = await startTestGateway({
    ollamaUrl: fake.url,
    env: { API_KEYS: USER_KEY, ADMIN_API_KEYS: ADMIN_KEY, PLAYGROUND_DIR, ...options.env },
  });
  return {
    url: gateway.url,
    fake,
    gateway,
    close: async () => {
      await gateway.close();
      await fake.close();
    },
  };
}

/** A thinking model as Ollama reports one (qwen3: completion, tools, thinking). */
export const THINKING_MODEL: FakeModel = {
  name: 'qwen3:0.6b',
  family: 'qwen3',
  parameterSize: '751.63M',
  capabilities: ['completion', 'tools', 'thinking'],
};

/** The test kit's models plus a thinking one. */
export const MODELS_WITH_THINKING: FakeModel[] = [...DEFAULT_FAKE_MODELS, THINKING_MODEL];
