// The floor: a minimal keep-alive node:http reverse proxy with a /healthz, no parsing, no
// validation, no logging. Run the bench against it to see what any Node.js gateway costs at the
// least on this machine: BENCH_GATEWAY_ENTRY=src/processes/floor-proxy.mjs pnpm bench
// (SDK and cache rows fail against it: it has no /trpc.)
import http from 'node:http';

const upstream = new URL(process.env.OLLAMA_URL ?? 'http://127.0.0.1:11434');
const agent = new http.Agent({ keepAlive: true });

http
  .createServer((req, res) => {
    if (req.url === '/healthz') {
      res.end('ok');
      return;
    }
    const forward = http.request(
      {
        agent,
        hostname: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      res.statusCode = 502;
      res.end();
    });
    req.pipe(forward);
  })
  .listen(Number(process.env.PORT ?? 8001), process.env.HOST ?? '127.0.0.1');

process.once('SIGTERM', () => process.exit(0));
