import { startTestGateway } from '@intellicore/llm-gateway';
import { type FakeOllama, startFakeOllama } from '@intellicore/testkit';

/** A real gateway on loopback, backed by the test kit's fake Ollama. */
export interface LiveGateway {
  url: string;
  fake: FakeOllama;
  close(): Promise<void>;
}

/** `env` takes the gateway's own variables (API_KEYS, CORS_ORIGINS, …). */
export async function startLiveGateway(env: Record<string, string> = {}): Promise<LiveGateway> {
  const fake = await startFakeOllama();
  try {
    const gateway = await startTestGateway({ ollamaUrl: fake.url, env });
    return {
      url: gateway.url,
      fake,
      close: async () => {
        await gateway.close();
        await fake.close();
      },
    };
  } catch (error) {
    await fake.close();
    throw error;
  }
}
