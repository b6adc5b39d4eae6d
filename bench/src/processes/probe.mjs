// Preloaded (`node --import`) into processes the bench measures. Answers IPC probes with this
// process's CPU time and memory, so the bench can attribute CPU per request to the gateway alone,
// and starts/stops the V8 CPU profiler on request, so a profile covers the load and not startup.
// Plain JS on purpose: no loader in the measured process, so it runs exactly what it ships.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';

let session;

function post(method, params) {
  return new Promise((resolve, reject) => {
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function profile(message) {
  if (message.action === 'start') {
    session ??= new Session();
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: message.intervalUs ?? 200 });
    await post('Profiler.start');
    return {};
  }
  const { profile: result } = await post('Profiler.stop');
  session.disconnect();
  writeFileSync(message.path, JSON.stringify(result));
  return { path: message.path };
}

if (process.send) {
  // The bench went away without stopping this process: shut down the way SIGTERM does.
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.on('message', (message) => {
    if (!message || typeof message.type !== 'string') return;
    const reply = (body) =>
      process.send?.({ type: `${message.type}-reply`, id: message.id, ...body });
    if (message.type === 'bench:probe') {
      if (message.gc && typeof globalThis.gc === 'function') globalThis.gc();
      reply({
        cpu: process.cpuUsage(),
        memory: process.memoryUsage(),
        eventLoop: performance.eventLoopUtilization(),
      });
    } else if (message.type === 'bench:profile') {
      profile(message).then(reply, (error) => reply({ error: String(error) }));
    }
  });
}
