// Binary array parameters (binary-array.ts) sent through PGlite's prepared statements
// (pglite-prepared.ts) and read back by the database itself.
import { afterAll, describe, expect, it } from 'vitest';
import { encodeBinaryArray } from './binary-array.ts';
import { loadPgliteDriver } from './drizzle.ts';
import { createPglitePrepared } from './pglite-prepared.ts';

describe('binary array parameters', () => {
  const { pglite, PGlite } = loadPgliteDriver();
  const client = new PGlite();
  const execute = createPglitePrepared(client, pglite);

  afterAll(async () => {
    await client.close();
  });

  it('round-trips every element type, NULLs included, as the database reads them', async () => {
    const rows = await execute(
      'round_trip',
      'select t, i, b, n, ts::text as ts from unnest($1::text[], $2::int4[], $3::int8[], $4::bool[], $5::timestamptz[]) as u (t, i, b, n, ts)',
      [
        ['é😀 "quoted", {braced}\\', null, ''],
        [2_147_483_647, -2_147_483_648, null],
        ['9223372036854775807', '-9223372036854775808', null],
        [true, false, null],
        ['2026-12-01T06:30:00.123Z', '1969-07-20T20:17:40.001Z', null],
      ],
    );
    expect(rows).toEqual([
      {
        t: 'é😀 "quoted", {braced}\\',
        i: 2_147_483_647,
        b: 9_223_372_036_854_775_807n,
        n: true,
        ts: '2026-12-01 06:30:00.123+00',
      },
      {
        t: null,
        i: -2_147_483_648,
        b: -9_223_372_036_854_775_808n,
        n: false,
        ts: '1969-07-20 20:17:40.001+00',
      },
      { t: '', i: null, b: null, n: null, ts: null },
    ]);
  });

  it('sends an empty array as one with no dimensions', async () => {
    expect(
      await execute('empty', 'select cardinality($1::text[]) as n, $1::text[] = $2 as same', [
        [],
        '{}',
      ]),
    ).toEqual([{ n: 0, same: true }]);
  });

  it('leaves a value that does not fit its type to the text form, so the database names the error', async () => {
    expect(encodeBinaryArray(1007, [1.5])).toBeNull();
    expect(encodeBinaryArray(1007, [2 ** 31])).toBeNull();
    expect(encodeBinaryArray(1016, ['12a'])).toBeNull();
    expect(encodeBinaryArray(1185, ['not a date'])).toBeNull();
    expect(encodeBinaryArray(25, ['an element type, not an array type'])).toBeNull();
    await expect(
      execute('misfit', 'select unnest($1::int4[]) as i', [[1, 1.5]]),
    ).rejects.toMatchObject({ code: '22P02' });
    expect(await execute('misfit', 'select unnest($1::int4[]) as i', [[7]])).toEqual([{ i: 7 }]);
  });
});
