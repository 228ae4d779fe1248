/**
 * Graceful close of the HTTP server (SIGTERM/SIGINT, or `app.close()`):
 * 1. `closing` turns true at once: `/health/ready` answers 503 and a request that still arrives
 *    on an open connection gets 503 `server_shutting_down` with `Connection: close`;
 * 2. the listener stops accepting and idle keep-alive sockets are closed at once — and again
 *    as soon as each in-flight response finishes (every 50 ms), instead of waiting out the
 *    keep-alive timeout; responses whose headers are not sent yet get `Connection: close`;
 * 3. in-flight requests — counted from the route handler's start to its end, so a handler
 *    still settling after its response counts — may finish for up to `timeoutMs`;
 * 4. then every remaining connection is destroyed (their handlers see the client go away,
 *    abort the upstream and settle), and the close waits up to `FORCED_SETTLE_MS` more for
 *    those handlers, so their ledger rows are written before the ledger is flushed.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, RouteOptions } from 'fastify';

/** After a forced close, how long handlers get to see the disconnect and settle, ms. */
const FORCED_SETTLE_MS = 2_000;
const REAP_INTERVAL_MS = 50;

export interface GracefulClose {
  /** True from the moment close began. */
  readonly closing: boolean;
  /** Route handlers running now. */
  readonly inFlight: number;
  /** An `onRoute` hook: counts each route's handler runs. Add before any route. */
  onRoute(route: RouteOptions): void;
  /** Remembers a response until `untrack` (its `Connection` header may still change). */
  track(response: ServerResponse): void;
  /** Forgets a response (call on its `close`). */
  untrack(response: ServerResponse): void;
  /**
   * Closes `app` as described above.
   * @returns how many handlers were still running when the connections were destroyed (0 = drained)
   */
  close(app: FastifyInstance, timeoutMs: number): Promise<number>;
}

function delay(ms: number): { promise: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return {
    promise,
    cancel: () => {
      clearTimeout(timer);
    },
  };
}

export function createGracefulClose(): GracefulClose {
  let closing = false;
  let inFlight = 0;
  const idleWaiters = new Set<() => void>();
  const responses = new Set<ServerResponse>();

  const handlerDone = (): void => {
    inFlight -= 1;
    if (inFlight === 0) for (const resolve of idleWaiters) resolve();
  };
  const handlersIdle = (): Promise<void> =>
    inFlight === 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          idleWaiters.add(() => {
            resolve();
          });
        });

  return {
    get closing() {
      return closing;
    },
    get inFlight() {
      return inFlight;
    },
    onRoute(route) {
      const handler = route.handler;
      route.handler = function countedHandler(this: FastifyInstance, request, reply) {
        inFlight += 1;
        let result: unknown;
        try {
          result = handler.call(this, request, reply);
        } catch (error) {
          handlerDone();
          throw error;
        }
        if (result instanceof Promise) return result.finally(handlerDone);
        handlerDone();
        return result;
      };
    },
    track(response) {
      responses.add(response);
    },
    untrack(response) {
      responses.delete(response);
    },
    async close(app, timeoutMs) {
      closing = true;
      for (const response of responses)
        if (!response.headersSent) response.setHeader('connection', 'close');
      const server = app.server;
      const closed = app.close();
      const reaper = setInterval(() => {
        server.closeIdleConnections();
      }, REAP_INTERVAL_MS);
      server.closeIdleConnections();
      const drained = Promise.all([closed, handlersIdle()]).then(() => true);
      const deadline = delay(timeoutMs);
      try {
        if (await Promise.race([drained, deadline.promise.then(() => false)])) return 0;
        const remaining = inFlight;
        server.closeAllConnections();
        const grace = delay(FORCED_SETTLE_MS);
        await Promise.race([drained, grace.promise]);
        grace.cancel();
        return remaining;
      } finally {
        deadline.cancel();
        clearInterval(reaper);
      }
    },
  };
}
