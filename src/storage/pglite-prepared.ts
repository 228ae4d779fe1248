/**
 * Named prepared statements on PGlite, which its `query()` does not offer (it parses, describes
 * and plans every statement anew, through the unnamed statement). The extended query protocol
 * that `query()` speaks to the embedded backend does: the first call of a name sends Parse with
 * that name and Describe (for the parameter types), and every call then only Bind, Describe
 * (portal), Execute and Sync — one `execProtocolStream` round, under the same two locks
 * `query()` takes, so nothing interleaves with it or with a transaction, followed by the same
 * `syncToFs()`. The Bind message is encoded here (`bindMessage`), arrays of the common element
 * types in binary form (binary-array.ts). The ledger's bulk insert (ledger-insert.ts, with its
 * rollup CTEs) was parsed and planned on every flush, 4.6 ms each before this and 1.6 ms after
 * (`npm run bench:ledger-insert -- --batch=1`; ADR 0024): at a few requests a second that fixed
 * cost was most of the ledger's CPU.
 * Errors are PGlite's `DatabaseError` (with its SQLSTATE `code`), as from `query()`.
 */
import type { PGlite } from '@electric-sql/pglite';
import { encodeBinaryArray } from './binary-array.ts';

type PgliteModule = typeof import('@electric-sql/pglite');

/** Runs `text` as the prepared statement `name` (one text per name) and returns its rows. */
export type PreparedExecute = (
  name: string,
  text: string,
  parameters: readonly unknown[],
) => Promise<Record<string, unknown>[]>;

/**
 * A Bind message (PostgreSQL protocol 3, "Bind"): the unnamed portal, `statement`, each parameter
 * in text format (a string, encoded here) or binary format (a Buffer, binary-array.ts), every
 * result column in text format. Text is encoded with Node's native UTF-8 rather than the
 * protocol serializer's, which measures each string's UTF-8 length in a JavaScript loop over its
 * characters — ~11 µs per ledger row, whose parameters are ~2 KB of text.
 */
function bindMessage(statement: string, values: readonly (string | Buffer | null)[]): Uint8Array {
  const encoded = values.map((value) =>
    value === null || Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'),
  );
  const name = Buffer.from(statement, 'utf8');
  // Type, length, portal "" (NUL), statement + NUL, one format code per parameter, parameter
  // count, (length + bytes) per parameter, 0 result format codes.
  let length = 4 + 1 + name.length + 1 + 2 + 2 * encoded.length + 2 + 2;
  for (const bytes of encoded) length += 4 + (bytes === null ? 0 : bytes.length);
  const message = Buffer.allocUnsafe(1 + length);
  let offset = message.writeUInt8(0x42, 0); // 'B'
  offset = message.writeInt32BE(length, offset);
  offset = message.writeUInt8(0, offset);
  offset += name.copy(message, offset);
  offset = message.writeUInt8(0, offset);
  offset = message.writeInt16BE(encoded.length, offset);
  for (const value of values) offset = message.writeInt16BE(Buffer.isBuffer(value) ? 1 : 0, offset);
  offset = message.writeInt16BE(encoded.length, offset);
  for (const bytes of encoded) {
    if (bytes === null) {
      offset = message.writeInt32BE(-1, offset);
      continue;
    }
    offset = message.writeInt32BE(bytes.length, offset);
    offset += bytes.copy(message, offset);
  }
  message.writeInt16BE(0, offset);
  return message;
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
      Buffer.concat([
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
        const values = parameters.map((value, index): string | Buffer | null => {
          if (value === null || value === undefined) return null;
          if (Array.isArray(value)) {
            const binary = encodeBinaryArray(types[index] ?? -1, value);
            if (binary !== null) return binary;
          }
          const serializer = client.serializers[types[index] ?? -1];
          if (serializer !== undefined) return serializer(value);
          // As query() does for a type without a serializer.
          if (typeof value === 'string') return value;
          if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
            return value.toString();
          return JSON.stringify(value);
        });
        const messages = await client.execProtocolStream(
          Buffer.concat([
            bindMessage(name, values),
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
