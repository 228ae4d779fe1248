// Two Redis change buses on one Redis (as two instances): a change published on one reaches
// the other's subscribers once, the publisher's own once (no echo), and after the subscriber
// connections are killed both re-subscribe, announce `id: null` and deliver again.
// Needs SIGNALBOX_TEST_REDIS_URL.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeBus, ConfigChange } from '../lib/change-bus.ts';
import { createRedisChangeBus } from './redis-change-bus.ts';

const redisUrl = process.env.SIGNALBOX_TEST_REDIS_URL ?? null;
if (redisUrl === null)
  console.warn(
    'redis-change-bus.test.ts: SIGNALBOX_TEST_REDIS_URL is not set, so these tests did NOT run.',
  );

const open: ChangeBus[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((bus) => bus.close()));
});

function next(bus: ChangeBus, topic: string, count = 1): Promise<ConfigChange[]> {
  return new Promise((resolve) => {
    const seen: ConfigChange[] = [];
    const unsubscribe = bus.subscribe(topic, (change) => {
      seen.push(change);
      if (seen.length === count) {
        unsubscribe();
        resolve(seen);
      }
    });
  });
}

describe.runIf(redisUrl !== null)('the Redis change bus', () => {
  async function pair(channel: string): Promise<[ChangeBus, ChangeBus]> {
    const url = redisUrl ?? '';
    const first = await createRedisChangeBus({ redisUrl: url, channel });
    const second = await createRedisChangeBus({ redisUrl: url, channel });
    open.push(first, second);
    return [first, second];
  }

  it('delivers a change to the other instance and once to the publisher', async () => {
    const [first, second] = await pair(`test:${randomUUID()}`);
    const own: ConfigChange[] = [];
    first.subscribe('providers', (change) => own.push(change));
    const arrived = next(second, 'providers');
    await first.publish({ topic: 'providers', id: 'openai-eu' });
    expect(await arrived).toEqual([{ topic: 'providers', id: 'openai-eu' }]);
    const back = next(first, 'settings');
    await second.publish({ topic: 'settings', id: null });
    await back;
    expect(own).toEqual([{ topic: 'providers', id: 'openai-eu' }]);
  });

  it('re-subscribes after its connection is killed and tells subscribers to re-read', async () => {
    const channel = `test:${randomUUID()}`;
    const [first, second] = await pair(channel);
    const notices = Promise.all([next(first, 'policies'), next(second, 'policies')]);
    const admin = new Redis(redisUrl ?? '');
    try {
      // Only this test's subscribers: each is named after its channel.
      const clients = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub'))
        .split('\n')
        .filter((line) => line.includes(` name=${channel}:`));
      expect(clients.length).toBe(2);
      for (const line of clients) {
        const id = /\bid=(\d+)/.exec(line)?.[1];
        if (id !== undefined) await admin.call('CLIENT', 'KILL', 'ID', id);
      }
    } finally {
      admin.disconnect();
    }
    expect(await notices).toEqual([
      [{ topic: 'policies', id: null }],
      [{ topic: 'policies', id: null }],
    ]);
    const arrived = next(second, 'keys');
    await first.publish({ topic: 'keys', id: 'key_1' });
    expect(await arrived).toEqual([{ topic: 'keys', id: 'key_1' }]);
  });
});
