/**
 * Test support, not a fixture recording: a node:http server on 127.0.0.1 port 0 that hands each
 * request (body read) to the test's handler, which replays recorded bytes or misbehaves on
 * purpose. Used by the provider tests only.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The client's port: equal ports mean a reused keep-alive connection. */
  remotePort: number | undefined;
  /** Resolves when the client closed the connection before the response was finished. */
  closedEarly: Promise<void>;
}

export type TestHandler = (request: ReceivedRequest, response: ServerResponse) => void | Promise<void>;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startTestServer(handler: TestHandler): Promise<TestServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const closedEarly = new Promise<void>((resolve) => {
        response.on('close', () => {
          if (!response.writableFinished) resolve();
        });
      });
      const received: ReceivedRequest = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks),
        remotePort: incoming.socket.remotePort,
        closedEarly,
      };
      requests.push(received);
      void Promise.resolve(handler(received, response)).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error('handler failed'));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Reads a file next to this one, or in another `__fixtures__` folder of src/providers. */
export function readFixture(folder: 'shared' | 'openrouter', name: string): Buffer {
  return readFileSync(new URL(`../../${folder}/__fixtures__/${name}`, import.meta.url));
}

/** Splits recorded SSE bytes into its blocks, each with its terminating blank line, to send one at a time. */
export function sseBlocks(bytes: Buffer): string[] {
  return bytes
    .toString('utf8')
    .split(/(?<=\n\n)/)
    .filter((block) => block !== '');
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
