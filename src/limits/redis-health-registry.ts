/**
 * The health registry shared by several gateway instances through Redis (ioredis). Reads stay
 * synchronous: each instance keeps a memory registry as its local mirror. Trips and closures are
 * written to Redis and published, so the other instances mirror them within milliseconds; a
 * reconcile re-reads every cooldown periodically in case a message was missed; the half-open
 * probe is claimed with SET NX PX so one instance probes at a time. Counts, windows and EWMAs
 * stay per instance. With Redis unreachable it runs on local state, says so through `degraded`,
 * and logs once per change. Design and trade-offs: docs/decisions/0006-health-registry.md.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type {
  CircuitTransition,
  HealthRegistry,
  HealthRegistryOptions,
} from './health-registry.ts';
import { resolveHealthOptions } from './health-registry.ts';
import type { ProbeGate } from './circuit-breaker.ts';
import { createMemoryHealthRegistry } from './memory-health-registry.ts';
import { createFailFastRedis } from './redis-client.ts';
import { parseHealthMessage, RedisHealthStore } from './redis-health-store.ts';

export interface RedisHealthRegistryLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface RedisHealthRegistryOptions extends HealthRegistryOptions {
  /**
   * A `redis://` URL (the registry opens and closes its connections), or an ioredis client
   * (the caller keeps it and closes it; the registry opens only a duplicate for pub/sub).
   */
  redis: string | Redis;
  /** Prefix of every key and of the channel. Default `signalbox:health`. */
  keyPrefix?: string;
  /** How often every shared cooldown is re-read, ms. Default 5000. */
  reconcileIntervalMs?: number;
  /** Wait before asking again for a probe another instance holds, ms. Default 1000. */
  probeClaimRetryMs?: number;
  /** Names this instance in messages and probe claims. Default a random UUID. */
  instanceId?: string;
  logger?: RedisHealthRegistryLogger;
}

export interface RedisHealthRegistry extends HealthRegistry {
  /** Re-reads every shared cooldown now (also runs on connect and every `reconcileIntervalMs`). */
  reconcile(): Promise<void>;
}

type Claim =
  { state: 'pending' } | { state: 'held'; until: number } | { state: 'refused'; retryAt: number };

/**
 * Creates the registry. Connects in the background: until Redis answers, `degraded` is true and
 * the local state alone decides. Never throws for an unreachable Redis.
 * @throws RangeError when an option is out of range
 */
export function createRedisHealthRegistry(
  options: RedisHealthRegistryOptions,
): RedisHealthRegistry {
  const settings = resolveHealthOptions(options);
  const instance = options.instanceId ?? randomUUID();
  const probeClaimRetryMs = options.probeClaimRetryMs ?? 1_000;
  const logger = options.logger;
  const ownsClient = typeof options.redis === 'string';
  // Commands fail at once while disconnected instead of queueing: the local state decides then.
  const client =
    typeof options.redis === 'string' ? createFailFastRedis(options.redis) : options.redis;
  // The subscriber subscribes on every (re)connection itself (see onSubscriberReady).
  const subscriber = client.duplicate({ enableOfflineQueue: false, autoResubscribe: false });
  const store = new RedisHealthStore(client, options.keyPrefix ?? 'signalbox:health');
  const claims = new Map<string, Claim>();
  let reported: 'connected' | 'degraded' | 'unknown' = 'unknown';
  /** One warning per connected period for failing commands (e.g. NOPERM), not one per command. */
  let commandErrorReported = false;
  let closed = false;
  /** The subscriber connection is up and listening on the channel. */
  let subscribed = false;

  const isReady = () => client.status === 'ready' && subscribed;
  const claimKey = (provider: string, model: string) => `${provider}\u0000${model}`;

  function onCommandError(action: string) {
    return (error: unknown) => {
      if (closed || reported === 'degraded' || commandErrorReported) return;
      commandErrorReported = true;
      logger?.warn(
        { err: error, action },
        'health registry: Redis command failed; using local state',
      );
    };
  }

  const gate: ProbeGate = {
    tryAcquire(provider, model, now) {
      if (!isReady()) return true;
      const key = claimKey(provider, model);
      const claim = claims.get(key);
      if (claim?.state === 'held' && claim.until > now) return true;
      if (claim?.state === 'pending') return now + probeClaimRetryMs;
      if (claim?.state === 'refused' && claim.retryAt > now) return claim.retryAt;
      claims.set(key, { state: 'pending' });
      store
        .claimProbe(instance, provider, model, settings.probeTimeoutMs)
        .then((won) => {
          const at = settings.now();
          claims.set(
            key,
            won
              ? { state: 'held', until: at + settings.probeTimeoutMs }
              : { state: 'refused', retryAt: at + probeClaimRetryMs },
          );
        })
        .catch((error: unknown) => {
          claims.set(key, { state: 'refused', retryAt: settings.now() + probeClaimRetryMs });
          onCommandError('claim probe')(error);
        });
      return now + probeClaimRetryMs;
    },
    release(provider, model) {
      claims.delete(claimKey(provider, model));
      if (client.status !== 'ready') return;
      store.releaseProbe(instance, provider, model).catch(onCommandError('release probe'));
    },
  };

  /** Every transition starts a fresh probe claim; local trips and closures are shared. */
  function share(transition: CircuitTransition): void {
    const { provider, model } = transition;
    claims.delete(claimKey(provider, model));
    if (transition.reason !== 'remote' && client.status === 'ready') {
      if (transition.to === 'open') writeOpen(transition);
      else if (transition.to === 'closed')
        store.writeClose(instance, provider, model).catch(onCommandError('write close'));
    }
    options.onTransition?.(transition);
  }

  function writeOpen(open: {
    provider: string;
    model: string;
    openUntil: number | null;
    cooldownMs: number;
    trips: number;
    code: string | null;
  }): void {
    const remainingMs = (open.openUntil ?? 0) - settings.now();
    store
      .writeOpen(instance, { ...open, remainingMs }, settings.maxCooldownMs * 2)
      .catch(onCommandError('write open'));
  }

  const local = createMemoryHealthRegistry({ ...settings, probeGate: gate, onTransition: share });

  async function reconcile(): Promise<void> {
    if (client.status !== 'ready') return;
    const now = settings.now();
    for (const open of await store.readOpen()) {
      local.applyRemoteOpen(open.provider, open.model, {
        ...open,
        openUntil: now + open.remainingMs,
      });
    }
  }

  subscriber.on('message', (channel: string, text: string) => {
    const message = channel === store.channel ? parseHealthMessage(text) : undefined;
    if (message === undefined || message.instance === instance) return;
    claims.delete(claimKey(message.provider, message.model));
    if (message.type === 'close') {
      local.applyRemoteClose(message.provider, message.model);
      return;
    }
    local.applyRemoteOpen(message.provider, message.model, {
      ...message,
      openUntil: settings.now() + message.remainingMs,
    });
  });
  subscriber.on('ready', () => {
    subscriber.subscribe(store.channel).then(() => {
      subscribed = true;
      onReady();
    }, onCommandError('subscribe'));
  });

  function onReady(): void {
    if (closed || !isReady() || reported === 'connected') return;
    if (reported === 'degraded') logger?.info({}, 'health registry: Redis reachable again');
    reported = 'connected';
    commandErrorReported = false;
    // Cooldowns decided while disconnected are shared now, then everyone else's are read.
    for (const target of local.snapshot()) {
      if (target.state === 'open') writeOpen({ ...target, code: target.lastError });
    }
    reconcile().catch(onCommandError('reconcile'));
  }
  function onLost(error?: unknown): void {
    if (closed || isReady() || reported === 'degraded') return;
    reported = 'degraded';
    logger?.warn(
      { err: error },
      'health registry: Redis unreachable; cooldowns are per instance until it is back',
    );
  }
  client.on('ready', onReady);
  for (const event of ['error', 'close', 'end'] as const) {
    client.on(event, onLost);
    subscriber.on(event, (error?: unknown) => {
      if (event !== 'error') subscribed = false;
      onLost(error);
    });
  }

  const timer = setInterval(() => {
    reconcile().catch(onCommandError('reconcile'));
  }, options.reconcileIntervalMs ?? 5_000);
  timer.unref();

  return {
    permit: (provider, model, now) => local.permit(provider, model, now),
    peek: (provider, model, now) => local.peek(provider, model, now),
    record: (observation) => {
      local.record(observation);
    },
    get: (provider, model) => local.get(provider, model),
    snapshot: () => local.snapshot(),
    providers: () => local.providers(),
    get degraded() {
      return !isReady();
    },
    reconcile,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      subscriber.disconnect();
      if (!ownsClient) return;
      // QUIT waits for the server's answer: a hung server must not hang shutdown.
      if (client.status === 'ready') await client.quit().catch(() => undefined);
      client.disconnect();
    },
  };
}
