// Two PostgreSQL change buses on one database (as two instances): a change published on one
// reaches the other's subscribers once, the publisher's own subscribers once (no echo), and
// after the listening connections are killed both reconnect, announce `id: null` and deliver
// again. Needs SIGNALBOX_TEST_DATABASE_URL.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeBus, ConfigChange } from '../lib/change-bus.ts';
import { createPostgresChangeBus } from './postgres-change-bus.ts';

const databaseUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;
if (databaseUrl === null)
  console.warn(
    'postgres-change-bus.test.ts: SIGNALBOX_TEST_DATABASE_URL is not set, so these tests did NOT run.',
  );

const open: ChangeBus[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((bus) => bus.close()));
});

/** Resolves with the next `count` changes on `topic`. */
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

describe.runIf(databaseUrl !== null)('the PostgreSQL change bus', () => {
  async function pair(channel: string): Promise<[ChangeBus, ChangeBus]> {
    const url = databaseUrl ?? '';
    const first = await createPostgresChangeBus({
      databaseUrl: url,
      channel,
      maxReconnectDelayMs: 200,
    });
    const second = await createPostgresChangeBus({
      databaseUrl: url,
      channel,
      maxReconnectDelayMs: 200,
    });
    open.push(first, second);
    return [first, second];
  }

  it('delivers a change to the other instance and once to the publisher', async () => {
    const [first, second] = await pair(`test_${randomUUID().replaceAll('-', '')}`);
    const own: ConfigChange[] = [];
    first.subscribe('providers', (change) => own.push(change));
    const arrived = next(second, 'providers');
    await first.publish({ topic: 'providers', id: 'openai-eu' });
    expect(await arrived).toEqual([{ topic: 'providers', id: 'openai-eu' }]);
    // A change from the other side proves the first connection has read everything before it.
    const back = next(first, 'settings');
    await second.publish({ topic: 'settings', id: null });
    await back;
    expect(own).toEqual([{ topic: 'providers', id: 'openai-eu' }]);
  });

  it('reconnects after the connection is killed and tells subscribers to re-read', async () => {
    const channel = `test_${randomUUID().replaceAll('-', '')}`;
    const [first, second] = await pair(channel);
    const notices = Promise.all([next(first, 'policies'), next(second, 'policies')]);
    const admin = new pg.Client({ connectionString: databaseUrl ?? '' });
    await admin.connect();
    try {
      const killed = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where query = $1',
        [`listen "${channel}"`],
      );
      expect(killed.rowCount).toBe(2);
    } finally {
      await admin.end();
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
