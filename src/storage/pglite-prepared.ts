/**
 * Named prepared statements on PGlite, which its `query()` does not offer (it parses, describes
 * and plans every statement anew, through the unnamed statement). The extended query protocol
 * that `query()` speaks to the embedded backend does: the first call of a name sends Parse with
 * that name and Describe (for the parameter types), and every call then only Bind, Describe
 * (portal), Execute and Sync — one `execProtocolStream` round, under the same two locks
 * `query()` takes, so nothing interleaves with it or with a transaction, followed by the same
 * `syncToFs()`. The ledger's bulk insert (ledger-insert.ts, with its rollup CTEs) spent ~2.7 ms
 * of every flush being parsed and planned (`npm run bench:ledger-insert`): at a few requests a
 * second that was most of the ledger's CPU, at 3,700 requests/s ~4 µs per request.
 * Errors are PGlite's `DatabaseError` (with its SQLSTATE `code`), as from `query()`.
 */
import type { PGlite } from '@electric-sql/pglite';

type PgliteModule = typeof import('@electric-sql/pglite');

/** Runs `text` as the prepared statement `name` (one text per name) and returns its rows. */
export type PreparedExecute = (
  name: string,
  text: string,
  parameters: readonly unknown[],
) => Promise<Record<string, unknown>[]>;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * The prepared-statement runner of one PGlite instance (`pglite`: the loaded module, for its
 * protocol serializer and result parser).
 * @throws (from the runner) Error when one name is used with two texts; the database's error.
 */
export function createPglitePrepared(client: PGlite, pglite: PgliteModule): PreparedExecute {
  const serialize = pglite.protocol.serialize;
  /** Statement name → its text and parameter type OIDs, once prepared. */
  const prepared = new Map<string, { text: string; types: readonly number[] }>();

  async function prepare(name: string, text: string): Promise<readonly number[]> {
    const known = prepared.get(name);
    if (known !== undefined) {
      if (known.text !== text) throw new Error(`prepared statement ${name}: a second text`);
      return known.types;
    }
    const messages = await client.execProtocolStream(
      concat([
        serialize.parse({ name, text }),
        serialize.describe({ type: 'S', name }),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    const types = pglite.parse.parseDescribeStatementResults(messages);
    prepared.set(name, { text, types });
    return types;
  }

  return async (name, text, parameters) => {
    await client.waitReady;
    return client._runExclusiveTransaction<Record<string, unknown>[]>(() =>
      client.runExclusive(async () => {
        const types = await prepare(name, text);
        const values = parameters.map((value, index) => {
          if (value === null || value === undefined) return null;
          const serializer = client.serializers[types[index] ?? -1];
          if (serializer !== undefined) return serializer(value);
          // As query() does for a type without a serializer.
          if (typeof value === 'string') return value;
          if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
            return value.toString();
          return JSON.stringify(value);
        });
        const messages = await client.execProtocolStream(
          concat([
            serialize.bind({ statement: name, values }),
            serialize.describe({ type: 'P' }),
            serialize.execute({}),
            serialize.sync(),
          ]),
          { syncToFs: false },
        );
        await client.syncToFs();
        return pglite.parse.parseResults(messages, client.parsers)[0]?.rows ?? [];
      }),
    );
  };
}
