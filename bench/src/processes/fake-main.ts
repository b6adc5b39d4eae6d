/**
 * Child process entry: the test kit's fake Ollama on its own event loop, so the fake never
 * competes with the load generator for one. Options arrive as JSON in BENCH_FAKE_OPTIONS; the
 * URL goes back to the parent over IPC. `bench:chunk-delay` spaces stream chunks for the
 * streaming scenarios only (a fault, so non-stream answers stay zero-delay).
 */
import { type FakeOllamaOptions, startFakeOllama } from '@intellicore/testkit';

const options = JSON.parse(process.env.BENCH_FAKE_OPTIONS ?? '{}') as FakeOllamaOptions;
const fake = await startFakeOllama({ ...options, journal: false });
let delayFault: number | undefined;

process.on('message', (message: { type?: string; ms?: number; id?: number }) => {
  if (message?.type !== 'bench:chunk-delay') return;
  if (delayFault !== undefined) fake.faults.clear(delayFault);
  delayFault = message.ms ? fake.faults.set({ chunkDelayMs: message.ms }) : undefined;
  process.send?.({ type: 'bench:chunk-delay-set', id: message.id });
});
process.send?.({ type: 'bench:ready', url: fake.url });

const stop = () => {
  fake.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// The bench went away without stopping us (crashed, killed): do not linger.
process.once('disconnect', stop);
