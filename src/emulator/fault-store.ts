/**
 * Programmed faults: the first fault whose `match` fits a chat request applies to it, and is used
 * up after `times` requests (0 = never used up).
 */
import type { Fault } from './emulator-types.ts';

export interface FaultStore {
  add(fault: Fault): void;
  clear(): void;
  /** The fault for a request with this `model` and `stream`, counting the use; null when none applies. */
  take(model: string | null, stream: boolean): Fault | null;
}

interface ArmedFault {
  fault: Fault;
  /** Uses left; Infinity for `times: 0`. */
  remaining: number;
}

function matches(fault: Fault, model: string | null, stream: boolean): boolean {
  const match = fault.match;
  if (match === undefined) return true;
  if (match.model !== undefined && match.model !== model) return false;
  return match.stream === undefined || match.stream === stream;
}

export function createFaultStore(): FaultStore {
  let armed: ArmedFault[] = [];
  return {
    add(fault) {
      const times = fault.times ?? 1;
      armed.push({ fault, remaining: times === 0 ? Infinity : times });
    },
    clear() {
      armed = [];
    },
    take(model, stream) {
      if (armed.length === 0) return null;
      const found = armed.find((entry) => matches(entry.fault, model, stream));
      if (found === undefined) return null;
      found.remaining -= 1;
      if (found.remaining <= 0) armed = armed.filter((entry) => entry !== found);
      return found.fault;
    },
  };
}

const NUMBER_FIELDS = [
  'times',
  'status',
  'delayBeforeHeadersMs',
  'delayBeforeFirstTokenMs',
  'delayBetweenChunksMs',
  'stallAfterChunks',
  'resetAfterChunks',
  'errorChunkAfterChunks',
  'malformedChunkAfterChunks',
  'answerWords',
  'answerPieceWords',
] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a Fault received as JSON (`POST /__emulator/faults`).
 * @throws TypeError naming the first invalid field.
 */
export function parseFault(value: unknown): Fault {
  if (!isRecord(value)) throw new TypeError('A fault must be a JSON object.');
  for (const field of NUMBER_FIELDS) {
    const number = value[field];
    if (
      number !== undefined &&
      (typeof number !== 'number' || !Number.isInteger(number) || number < 0)
    ) {
      throw new TypeError(`fault.${field} must be a non-negative integer.`);
    }
  }
  if (
    value.status !== undefined &&
    (typeof value.status !== 'number' || value.status < 100 || value.status > 599)
  ) {
    throw new TypeError('fault.status must be an HTTP status (100-599).');
  }
  const { match, headers } = value;
  if (match !== undefined) {
    if (!isRecord(match)) throw new TypeError('fault.match must be an object.');
    if (match.model !== undefined && typeof match.model !== 'string')
      throw new TypeError('fault.match.model must be a string.');
    if (match.stream !== undefined && typeof match.stream !== 'boolean')
      throw new TypeError('fault.match.stream must be a boolean.');
  }
  if (
    headers !== undefined &&
    (!isRecord(headers) || !Object.values(headers).every((item) => typeof item === 'string'))
  ) {
    throw new TypeError('fault.headers must map header names to strings.');
  }
  return value;
}
