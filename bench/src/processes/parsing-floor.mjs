// The parsing floor: the least any gateway that reads the request and the answer does, to put
// the floor proxy's numbers next to a gateway's in context. It parses the Ollama /api/chat body,
// sends it on (stream: false, or stream: true with MINI_STREAM=1, as the gateway asks upstreams),
// parses the answer (folding NDJSON lines when streamed) and writes it back. No validation,
// routing, limits, usage, logs or metrics. Only the chat-api row speaks its format:
//   MINI_STREAM=1 BENCH_GATEWAY_ENTRY=src/processes/parsing-floor.mjs BENCH_ONLY=chat-api pnpm bench
import http from 'node:http';

const upstream = new URL(process.env.OLLAMA_URL ?? 'http://127.0.0.1:11434');
const agent = new http.Agent({ keepAlive: true });
const STREAM = process.env.MINI_STREAM === '1';
http
  .createServer((req, res) => {
    if (req.url === '/healthz') {
      res.end('ok');
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString());
      const payload = JSON.stringify({ ...body, stream: STREAM });
      const fwd = http.request(
        {
          agent,
          hostname: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (answer) => {
          let text = '';
          answer.setEncoding('utf8');
          answer.on('data', (c) => {
            text += c;
          });
          answer.on('end', () => {
            let out;
            if (STREAM) {
              let content = '';
              let last;
              for (const line of text.split('\n')) {
                if (!line) continue;
                last = JSON.parse(line);
                content += last.message?.content ?? '';
              }
              out = { ...last, message: { role: 'assistant', content } };
            } else out = JSON.parse(text);
            const s = JSON.stringify(out);
            res.writeHead(200, {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(s),
            });
            res.end(s);
          });
        },
      );
      fwd.on('error', () => {
        res.statusCode = 502;
        res.end();
      });
      fwd.end(payload);
    });
  })
  .listen(Number(process.env.PORT ?? 8001), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => process.exit(0));
