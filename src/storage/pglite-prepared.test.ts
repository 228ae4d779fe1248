// Named prepared statements on PGlite (pglite-prepared.ts), against a real in-memory PGlite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPgliteDriver } from './drizzle.ts';
import { createPglitePrepared, type PreparedExecute } from './pglite-prepared.ts';

describe('PGlite prepared statements', () => {
  const { pglite, PGlite } = loadPgliteDriver();
  const client = new PGlite();
  let execute: PreparedExecute;

  beforeAll(async () => {
    await client.exec('create table t (id int primary key, tag text, doc jsonb)');
    execute = createPglitePrepared(client, pglite);
  });

  afterAll(async () => {
    await client.close();
  });

  const insert =
    'insert into t select * from unnest($1::int4[], $2::text[], $3::jsonb[]) returning id';

  it('prepares once and runs it again with new parameters, array and JSON ones included', async () => {
    expect(await execute('ins', insert, [[1], ['a'], ['{"k":1}']])).toEqual([{ id: 1 }]);
    expect(
      await execute('ins', insert, [
        [2, 3],
        ['b', 'c'],
        ['{"k":2}', null],
      ]),
    ).toEqual([{ id: 2 }, { id: 3 }]);
    const prepared = await client.query<{ name: string }>(
      'select name from pg_prepared_statements',
    );
    expect(prepared.rows).toEqual([{ name: 'ins' }]);
    const rows = await client.query('select id, doc from t order by id');
    expect(rows.rows).toEqual([
      { id: 1, doc: { k: 1 } },
      { id: 2, doc: { k: 2 } },
      { id: 3, doc: null },
    ]);
  });

  it('sends text of any length in UTF-8, NULLs as NULL', async () => {
    const tag = `é😀 ${'x'.repeat(70_000)}`;
    expect(
      await execute('ins', insert, [
        [5, 6],
        [tag, null],
        ['{"k":"ü"}', null],
      ]),
    ).toEqual([{ id: 5 }, { id: 6 }]);
    const rows = await client.query('select tag, doc from t where id in (5, 6) order by id');
    expect(rows.rows).toEqual([
      { tag, doc: { k: 'ü' } },
      { tag: null, doc: null },
    ]);
  });

  it("throws the database's error with its SQLSTATE, and the session goes on", async () => {
    await expect(execute('ins', insert, [[1], ['dup'], [null]])).rejects.toMatchObject({
      code: '23505',
    });
    expect(await execute('ins', insert, [[4], ['d'], [null]])).toEqual([{ id: 4 }]);
    expect((await client.query('select count(*)::int as n from t')).rows).toEqual([{ n: 6 }]);
  });

  it('refuses a second text under one name', async () => {
    await expect(execute('ins', 'select 1', [])).rejects.toThrow(/a second text/);
  });

  it('waits for an open transaction instead of running inside it', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = client.transaction(async (tx) => {
      await tx.query('insert into t values (10, null, null)');
      await held;
      await tx.rollback();
    });
    const running = execute('ins', insert, [[11], ['e'], [null]]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await transaction;
    expect(await running).toEqual([{ id: 11 }]);
    expect((await client.query('select id from t where id >= 10')).rows).toEqual([{ id: 11 }]);
  });
});
