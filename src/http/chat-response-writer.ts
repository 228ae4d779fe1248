/**
 * The HTTP ResponseWriter: JSON answers and SSE streams go straight to the raw Node response
 * after `reply.hijack()` (cheaper than `reply.send(stream)`, docs/performance.md). Nothing is
 * written before the pipeline calls it, so until a stream's commit point the request can still
 * end with an ordinary JSON error. Streams respect backpressure: `write` reports a full socket
 * buffer and `drained()` waits for it to empty.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ChunkWriter, ResponseWriter } from '../gateway/index.ts';
import { sendError } from './errors.ts';

function headersOf(reply: FastifyReply, extra: Record<string, string>): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders()))
    if (value !== undefined) headers[name] = value;
  Object.assign(headers, extra);
  return headers;
}

function isOpen(response: ServerResponse): boolean {
  return !response.destroyed && !response.writableEnded;
}

function createChunkWriter(response: ServerResponse): ChunkWriter {
  const uncork = (): void => {
    response.uncork();
  };
  return {
    write(event) {
      if (!isOpen(response)) return true;
      // Events that arrive in one upstream read are written in one syscall: cork now, uncork
      // once the current burst of (micro)tasks is done. Nothing waits on a timer.
      if (response.writableCorked === 0) {
        response.cork();
        process.nextTick(uncork);
      }
      return response.write(`data: ${event.raw ?? JSON.stringify(event.chunk)}\n\n`);
    },
    drained() {
      if (!isOpen(response) || !response.writableNeedDrain) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = (): void => {
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        response.on('drain', done);
        response.on('close', done);
      });
    },
    end() {
      if (!isOpen(response)) return;
      // Ending a corked response loses what was corked: flush the burst first.
      while (response.writableCorked > 0) response.uncork();
      response.end('data: [DONE]\n\n');
    },
    get open() {
      return isOpen(response);
    },
  };
}

/** The writer for one chat request. */
export function createChatResponseWriter(
  request: FastifyRequest,
  reply: FastifyReply,
): ResponseWriter {
  const response = reply.raw;
  return {
    json(_completion, body, headers) {
      reply.hijack();
      const all = headersOf(reply, headers);
      all['content-type'] = 'application/json';
      all['content-length'] = Buffer.byteLength(body);
      response.writeHead(200, all);
      response.end(body);
    },
    startStream(headers) {
      reply.hijack();
      const all = headersOf(reply, headers);
      all['content-type'] = 'text/event-stream; charset=utf-8';
      all['cache-control'] = 'no-cache';
      all['x-accel-buffering'] = 'no';
      response.writeHead(200, all);
      return createChunkWriter(response);
    },
    error(failure, headers) {
      if (!isOpen(response)) return;
      for (const [name, value] of Object.entries(headers)) reply.header(name, value);
      void sendError(failure, request, reply);
    },
  };
}
