/**
 * Reassembles Gemini 3 streamed function-call arguments into a JSON text streamed in pieces.
 * With streamed arguments, Gemini sends a call as: `functionCall: {name, willContinue: true}`,
 * then events `functionCall: {partialArgs: [{jsonPath, stringValue|numberValue|boolValue|
 * nullValue, willContinue?}], willContinue: true}`, then a bare `functionCall: {}` that closes it
 * (recordings `google-stream-tool-call-arguments.chunks.txt`, `google-stream-no-args-tool-call…`).
 * A `stringValue` on a path that already holds a string continues that string. Behaviour follows
 * vercel/ai `packages/google/src/google-json-accumulator.ts`.
 *
 * Invariant: the pieces returned by `push` and `close` concatenate to `JSON.stringify` of the
 * accumulated arguments (an object), so the client's concatenated `arguments` always parse.
 */
import { SignalboxError } from '../../contracts/errors.ts';
import { isRecord } from '../shared/map-upstream-error.ts';

/** One `partialArgs` entry (lenient: only the fields read here). */
export interface GeminiPartialArgument {
  jsonPath: string;
  stringValue?: string | undefined;
  numberValue?: number | undefined;
  boolValue?: boolean | undefined;
  nullValue?: unknown;
  willContinue?: boolean | undefined;
}

export interface GeminiArgumentsAccumulator {
  /** Adds the entries; returns the next piece of the arguments JSON ('' when nothing is settled). */
  push(partialArguments: readonly GeminiPartialArgument[]): string;
  /** Ends the call; returns the last piece (closing quotes and brackets, or `{}` when empty). */
  close(): string;
}

type PathSegment = string | number;
type JsonContainer = Record<string, unknown> | unknown[];

/** A fresh accumulator for one call. Throws `upstream_invalid_response` on an unusable path. */
export function createGeminiArgumentsAccumulator(): GeminiArgumentsAccumulator {
  const root: Record<string, unknown> = {};
  let emitted = '';
  let openString: string | null = null;

  function settle(full: string): string {
    // Only the last leaf may still grow, so the text up to it (without closing brackets, and
    // without the closing quote of a string that continues) will never change.
    let settled = full.replace(/[}\]]+$/, '');
    if (openString !== null) settled = settled.slice(0, -1);
    if (!settled.startsWith(emitted)) {
      throw new SignalboxError(
        'upstream_invalid_response',
        'Upstream streamed function-call arguments out of order.',
      );
    }
    const piece = settled.slice(emitted.length);
    emitted = settled;
    return piece;
  }

  return {
    push(partialArguments) {
      for (const argument of partialArguments) {
        const segments = parseJsonPath(argument.jsonPath);
        const value = valueOf(argument);
        if (segments.length === 0 || value === undefined) continue;
        const existing = readPath(root, segments);
        const next =
          typeof value === 'string' && typeof existing === 'string' ? existing + value : value;
        writePath(root, segments, next);
        openString =
          typeof value === 'string' && argument.willContinue === true ? argument.jsonPath : null;
      }
      return settle(JSON.stringify(root));
    },
    close() {
      openString = null;
      const full = JSON.stringify(root);
      const piece = settle(full) + full.slice(emitted.length);
      emitted = full;
      return piece;
    },
  };
}

function valueOf(argument: GeminiPartialArgument): unknown {
  if (argument.stringValue !== undefined) return argument.stringValue;
  if (argument.numberValue !== undefined) return argument.numberValue;
  if (argument.boolValue !== undefined) return argument.boolValue;
  if ('nullValue' in argument) return null;
  return undefined;
}

/** `$.recipe.ingredients[0].name` → `['recipe', 'ingredients', 0, 'name']`. */
export function parseJsonPath(jsonPath: string): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const name of jsonPath.replace(/^\$\.?/, '').split('.')) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(name);
    if (match === null) throw invalidPath(jsonPath);
    const [, key = '', indexes = ''] = match;
    if (key !== '') segments.push(key);
    for (const index of indexes.matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

function invalidPath(jsonPath: string): SignalboxError {
  return new SignalboxError(
    'upstream_invalid_response',
    `Upstream streamed a function-call argument with an unusable jsonPath (${jsonPath.slice(0, 80)}).`,
  );
}

function childOf(container: JsonContainer, segment: PathSegment): unknown {
  if (Array.isArray(container)) return typeof segment === 'number' ? container[segment] : undefined;
  return Object.hasOwn(container, segment) ? container[segment] : undefined;
}

function setChild(container: JsonContainer, segment: PathSegment, value: unknown): void {
  if (Array.isArray(container) !== (typeof segment === 'number')) {
    throw invalidPath(String(segment));
  }
  // defineProperty keeps keys such as `__proto__` plain data, never a prototype setter.
  Object.defineProperty(container, segment, {
    value,
    enumerable: true,
    configurable: true,
    writable: true,
  });
}

function readPath(root: JsonContainer, segments: readonly PathSegment[]): unknown {
  let current: unknown = root;
  for (const segment of segments) {
    if (!Array.isArray(current) && !isRecord(current)) return undefined;
    current = childOf(current, segment);
  }
  return current;
}

function writePath(root: JsonContainer, segments: readonly PathSegment[], value: unknown): void {
  let current: JsonContainer = root;
  for (const [position, segment] of segments.entries()) {
    const following = segments[position + 1];
    if (following === undefined) {
      setChild(current, segment, value);
      return;
    }
    const existing = childOf(current, segment);
    const child: JsonContainer =
      Array.isArray(existing) || isRecord(existing)
        ? existing
        : typeof following === 'number'
          ? []
          : {};
    if (child !== existing) setChild(current, segment, child);
    current = child;
  }
}
