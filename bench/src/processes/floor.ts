import { forkMeasured, type MeasuredChild, PROBE_URL } from './child.js';
import { freePort } from './gateway.js';

export interface FloorHandle {
  url: string;
  process: MeasuredChild;
}

/**
 * The floor of every run: a bare keep-alive node:http proxy (floor-proxy.mjs, ~40 lines, no
 * parsing) in front of the fake, measured like the gateway. What any Node.js gateway costs here.
 */
export async function startFloorProcess(fakeUrl: string): Promise<FloorHandle> {
  const port = await freePort();
  const child = forkMeasured({
    entry: new URL('./floor-proxy.mjs', import.meta.url).pathname,
    execArgv: ['--import', PROBE_URL],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', OLLAMA_URL: fakeUrl },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exited()) throw new Error(`floor proxy exited:\n${child.output()}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, process: child };
    await new Promise((r) => setTimeout(r, 50));
  }
  await child.stop();
  throw new Error('floor proxy did not start');
}
