/**
 * A round-robin TCP load balancer for the scale-out proof: each client connection goes to the
 * next backend; a backend that refuses the connection is marked down for `downMs` and the
 * connection is retried on the next one (the client's bytes are held until a backend accepts),
 * as a load balancer with passive health checks does. Connections already established to a
 * backend that dies are cut, exactly as behind a real balancer.
 */
import net from 'node:net';

export interface Backend {
  host: string;
  port: number;
}

export interface Balancer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** Replaces a backend (a restarted instance listens on a new port). */
  replace(index: number, backend: Backend): void;
  /** Connections handed to each backend so far, by index. */
  connections(): number[];
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (any free port) in front of `backends`. */
export async function startBalancer(backends: Backend[], downMs = 1_000): Promise<Balancer> {
  const targets = backends.map((backend) => ({ ...backend, downUntil: 0, handed: 0 }));
  const sockets = new Set<net.Socket>();
  let next = 0;

  function pick(): (typeof targets)[number] | undefined {
    const now = Date.now();
    for (let tried = 0; tried < targets.length; tried += 1) {
      const target = targets[next % targets.length];
      next += 1;
      if (target !== undefined && target.downUntil <= now) return target;
    }
    return targets[next++ % targets.length];
  }

  const server = net.createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    const held: Buffer[] = [];
    const hold = (chunk: Buffer): void => {
      held.push(chunk);
    };
    client.on('data', hold);
    client.on('error', () => undefined);
    const connect = (attemptsLeft: number): void => {
      const target = pick();
      if (target === undefined || client.destroyed) {
        client.destroy();
        return;
      }
      const upstream = net.connect(target.port, target.host);
      sockets.add(upstream);
      let connected = false;
      upstream.on('error', () => undefined);
      upstream.once('connect', () => {
        connected = true;
        target.handed += 1;
        client.off('data', hold);
        for (const chunk of held) upstream.write(chunk);
        client.pipe(upstream);
        upstream.pipe(client);
        client.once('close', () => upstream.destroy());
      });
      upstream.once('close', () => {
        sockets.delete(upstream);
        if (connected) {
          client.destroy();
          return;
        }
        target.downUntil = Date.now() + downMs;
        if (attemptsLeft > 0 && !client.destroyed) connect(attemptsLeft - 1);
        else client.destroy();
      });
    };
    connect(targets.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${String(address.port)}`,
    replace(index, backend) {
      const target = targets[index];
      if (target === undefined) return;
      target.host = backend.host;
      target.port = backend.port;
      target.downUntil = 0;
    },
    connections: () => targets.map((target) => target.handed),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
