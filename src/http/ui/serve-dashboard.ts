/**
 * The dashboard at /ui/: the Vite build in `web/dist`, served by @fastify/static with the
 * brotli/gzip files precompressed at build time (`preCompressed`). Hashed assets under
 * `/ui/assets/` never change, so they are cached for a year (`immutable`); `index.html` is
 * revalidated every time (`no-cache`), so a new build is picked up at once. Any other path
 * under /ui/ is a client-side route and gets `index.html` (SPA fallback). `/` and `/ui`
 * redirect to `/ui/`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export interface DashboardOptions {
  /** The built dashboard (contains index.html and assets/). */
  directory: string;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
// The dashboard needs nothing from other origins; Mantine sets inline style attributes.
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function setHeaders(reply: FastifyReply, file: string): void {
  const isAsset = file.split(path.sep).includes('assets');
  reply.header('cache-control', isAsset ? IMMUTABLE : 'no-cache');
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
}

function sendIndex(reply: FastifyReply): FastifyReply {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
  return reply.header('cache-control', 'no-cache').sendFile('index.html');
}

/** Whether `directory` holds a built dashboard. */
export function isDashboardBuilt(directory: string): boolean {
  return existsSync(path.join(directory, 'index.html'));
}

/** Registers /ui/ (and the redirects). Without a build, /ui/ answers 503 saying how to build. */
export function registerDashboard(app: FastifyInstance, options: DashboardOptions): void {
  app.get('/', (_request, reply) => reply.redirect('/ui/', 302));
  app.get('/ui', (_request, reply) => reply.redirect('/ui/', 301));
  if (!isDashboardBuilt(options.directory)) {
    app.get('/ui/*', (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The dashboard is not built: run "npm run build:web" (npm install runs it).'),
    );
    return;
  }
  void app.register(fastifyStatic, {
    root: options.directory,
    prefix: '/ui/',
    preCompressed: true,
    wildcard: false,
    index: false,
    cacheControl: false,
    etag: true,
    lastModified: false,
    setHeaders,
  });
  app.get('/ui/', (_request, reply) => sendIndex(reply));
  app.get('/ui/*', (request, reply) => {
    // A missing hashed asset is a 404, not the index (a stale tab must not get HTML as JS).
    if (request.url.startsWith('/ui/assets/'))
      return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    return sendIndex(reply);
  });
}
