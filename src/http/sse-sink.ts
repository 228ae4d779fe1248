/**
 * The HTTP StreamSink: writes SSE straight to the raw Node response after `reply.hijack()`
 * (PERFORMANCE-NOTES.md: cheaper than `reply.send(stream)`), one write per event, no buffering.
 * Nothing is written before `start()`, so until the commit point the request can still fail
 * with an ordinary JSON error.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { StreamSink } from '../gateway/index.ts';

export function createSseSink(reply: FastifyReply): StreamSink {
  const response = reply.raw;
  const uncork = (): void => {
    response.uncork();
  };
  return {
    start(meta) {
      reply.hijack();
      const headers: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(reply.getHeaders()))
        if (value !== undefined) headers[name] = value;
      headers['content-type'] = 'text/event-stream; charset=utf-8';
      headers['cache-control'] = 'no-cache';
      headers['x-accel-buffering'] = 'no';
      headers['x-signalbox-provider'] = meta.provider;
      if (meta.generationId !== null) headers['x-generation-id'] = meta.generationId;
      response.writeHead(200, headers);
    },
    write(payload) {
      // Events that arrive in one upstream read are written in one syscall: cork now, uncork
      // once the current burst of (micro)tasks is done. Nothing waits on a timer.
      if (response.writableCorked === 0) {
        response.cork();
        process.nextTick(uncork);
      }
      response.write(`data: ${payload}\n\n`);
    },
    end() {
      if (response.destroyed || response.writableEnded) return;
      // Node's end() sends the chunked terminator before it flushes what cork() held back, so
      // events written in this same tick would be lost after it: flush them first.
      while (response.writableCorked > 0) response.uncork();
      response.end('data: [DONE]\n\n');
    },
    get open() {
      return !response.destroyed && !response.writableEnded;
    },
  };
}

/** Sends a finished JSON body on the raw response (no re-serialisation). */
export function sendRawJson(
  reply: FastifyReply,
  body: Buffer | string,
  extraHeaders: Record<string, string>,
): void {
  reply.hijack();
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders()))
    if (value !== undefined) headers[name] = value;
  Object.assign(headers, extraHeaders);
  headers['content-type'] = 'application/json';
  headers['content-length'] = Buffer.byteLength(body);
  reply.raw.writeHead(200, headers);
  reply.raw.end(body);
}
