/**
 * One-dimensional arrays in PostgreSQL's binary wire format (the format `array_recv` reads; the
 * PostgreSQL documentation's "Bind" message with parameter format code 1, and the layout in
 * src/backend/utils/adt/arrayfuncs.c `array_send`):
 *
 *   int32 ndim (1, or 0 for an empty array) · int32 has-nulls flag · int32 element type OID ·
 *   per dimension: int32 length, int32 lower bound (1) · per element: int32 byte length
 *   (-1 for NULL) and the element's binary form.
 *
 * Elements: `text` as its UTF-8 bytes, `int4` as 4 bytes and `int8` as 8 bytes big-endian,
 * `bool` as one byte, `timestamptz` as int64 microseconds since 2000-01-01 00:00:00 UTC.
 *
 * Why: the ledger's bulk insert sends each column as one array parameter (ledger-insert.ts).
 * In text form PGlite's JavaScript serializer quotes and escapes every element, then the
 * backend's `array_in` scans the text again and runs each element's text input function
 * (`timestamptz_in` parses an ISO 8601 date) — all of it inside PGlite's WebAssembly, on the
 * gateway's event-loop thread. In binary form each element is a length and its bytes
 * (`npm run bench:ledger-insert` prices the difference).
 */

/** Array type OID → element type OID, for the array types encoded here. */
const ELEMENT_TYPES: ReadonlyMap<number, number> = new Map([
  [1009, 25], // text[]
  [1007, 23], // int4[]
  [1016, 20], // int8[]
  [1000, 16], // bool[]
  [1185, 1184], // timestamptz[]
]);

/** 2000-01-01T00:00:00Z in Unix ms: PostgreSQL's timestamp epoch. */
const POSTGRES_EPOCH_MS = 946_684_800_000;
const TWO_TO_32 = 4_294_967_296;

/**
 * `value` as the element type's binary encoder takes it — a string (text), a number (int4), a
 * bigint (int8), a boolean (bool), Unix ms (timestamptz) — or undefined when it does not fit.
 * Converted once, so sizing and writing never parse a value twice.
 */
function normalise(
  elementType: number,
  value: unknown,
): string | number | bigint | boolean | undefined {
  switch (elementType) {
    case 25:
      return typeof value === 'string' ? value : undefined;
    case 23:
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 31
        ? value
        : undefined;
    case 20:
      return toBigInt(value) ?? undefined;
    case 16:
      return typeof value === 'boolean' ? value : undefined;
    case 1184: {
      const ms =
        value instanceof Date
          ? value.getTime()
          : typeof value === 'string'
            ? Date.parse(value)
            : NaN;
      return Number.isInteger(ms) ? ms : undefined;
    }
    default:
      return undefined;
  }
}

/** Byte sizes of the fixed-width element types (text is its UTF-8 length). */
const FIXED_SIZES: Readonly<Record<number, number>> = { 23: 4, 20: 8, 16: 1, 1184: 8 };

/** Writes a normalised element; returns the offset after it. */
function writeElement(
  elementType: number,
  value: string | number | bigint | boolean,
  size: number,
  target: Buffer,
  offset: number,
): number {
  switch (elementType) {
    case 25:
      return offset + target.write(value as string, offset, size, 'utf8');
    case 23:
      return target.writeInt32BE(value as number, offset);
    case 20:
      return target.writeBigInt64BE(value as bigint, offset);
    case 16:
      return target.writeUInt8(value === true ? 1 : 0, offset);
    default: {
      // timestamptz. Whole ms, so the µs count is an exact integer below 2^53: two 32-bit halves.
      const micros = ((value as number) - POSTGRES_EPOCH_MS) * 1000;
      const high = Math.floor(micros / TWO_TO_32);
      return target.writeUInt32BE(micros - high * TWO_TO_32, target.writeInt32BE(high, offset));
    }
  }
}

/**
 * `values` as a binary array parameter of the array type `arrayType` (an OID from the statement's
 * Describe), or null when this module does not encode that type or some element does not fit it
 * (the caller then sends the parameter in text form, and the database reports what is wrong).
 * Only ISO 8601 strings or Dates with whole milliseconds are taken for `timestamptz`.
 */
export function encodeBinaryArray(arrayType: number, values: readonly unknown[]): Buffer | null {
  const elementType = ELEMENT_TYPES.get(arrayType);
  if (elementType === undefined) return null;
  const elements: (string | number | bigint | boolean | null)[] = [];
  const sizes = new Int32Array(values.length);
  let size = values.length === 0 ? 12 : 20;
  let nulls = 0;
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index];
    if (value === null || value === undefined) {
      elements[index] = null;
      sizes[index] = -1;
      nulls = 1;
      size += 4;
      continue;
    }
    const element = normalise(elementType, value);
    if (element === undefined) return null;
    const bytes =
      typeof element === 'string'
        ? Buffer.byteLength(element, 'utf8')
        : (FIXED_SIZES[elementType] ?? 0);
    elements[index] = element;
    sizes[index] = bytes;
    size += 4 + bytes;
  }
  const target = Buffer.allocUnsafe(size);
  let offset = target.writeInt32BE(values.length === 0 ? 0 : 1, 0);
  offset = target.writeInt32BE(nulls, offset);
  offset = target.writeInt32BE(elementType, offset);
  if (values.length > 0) {
    offset = target.writeInt32BE(values.length, offset);
    offset = target.writeInt32BE(1, offset);
  }
  for (let index = 0; index < values.length; index += 1) {
    const bytes = sizes[index] as number;
    const element = elements[index] ?? null;
    offset = target.writeInt32BE(bytes, offset);
    if (element !== null) offset = writeElement(elementType, element, bytes, target, offset);
  }
  return target;
}

/** An int8 value as a bigint: a bigint, a safe integer or a decimal string in range; else null. */
function toBigInt(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : null;
  if (typeof value === 'string' && /^-?\d{1,19}$/.test(value)) {
    const integer = BigInt(value);
    return integer >= -(2n ** 63n) && integer < 2n ** 63n ? integer : null;
  }
  return null;
}
