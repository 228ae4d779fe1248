/**
 * The bare pass-through the gateway is measured against: Fastify + undici, forwarding
 * POST /v1/chat/completions to the upstream and piping the answer back on the raw response
 * (the cheapest Fastify + undici shape in docs/performance.md). No auth, parsing, routing,
 * accounting or resilience. Usage: node bench/baseline-proxy.ts <upstream base url>
 */
import Fastify from 'fastify';
import { Agent, request } from 'undici';

const upstream = process.argv[2] ?? 'http://127.0.0.1:8788/api/v1';
const dispatcher = new Agent({ keepAliveTimeout: 60_000, connections: 256 });
const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
app.removeContentTypeParser('application/json');
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
  done(null, body);
});

app.post('/v1/chat/completions', async (incoming, reply) => {
  const response = await request(`${upstream}/chat/completions`, {
    method: 'POST',
    dispatcher,
    headers: {
      authorization: 'Bearer sk-or-bench-baseline-key-0000',
      'content-type': 'application/json',
    },
    body: incoming.body as Buffer,
  });
  reply.hijack();
  const contentType = response.headers['content-type'];
  reply.raw.writeHead(response.statusCode, {
    'content-type': typeof contentType === 'string' ? contentType : 'application/json',
  });
  for await (const chunk of response.body) reply.raw.write(chunk as Buffer);
  reply.raw.end();
  return reply;
});

const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`READY ${address}\n`);
