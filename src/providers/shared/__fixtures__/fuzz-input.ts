/**
 * Test support, not a fixture recording: seeded random inputs for the stream-reader fuzz tests —
 * a small PRNG, mutations of recorded SSE bodies (truncation, byte noise, garbage events, JSON
 * values of the wrong type, dropped and repeated events), and random delivery boundaries.
 */

/** mulberry32: a fast 32-bit PRNG; the same seed gives the same cases on every run. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
  };
}

export interface Random {
  /** [0, 1). */
  next(): number;
  /** An integer in [0, max). */
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
}

const ODD_VALUES: readonly unknown[] = [
  null,
  0,
  -1,
  1e308,
  Number.MAX_SAFE_INTEGER,
  '',
  'x',
  '\u0000',
  '\ud800',
  true,
  false,
  [],
  {},
  [null],
  { type: 'error' },
  { index: 'zero', delta: null },
];

function mutateJson(value: unknown, random: Random, depth = 0): unknown {
  if (depth > 0 && random.next() < 0.3) return random.pick(ODD_VALUES);
  if (Array.isArray(value)) {
    const copy: unknown[] = [...(value as unknown[])];
    if (copy.length === 0 || random.next() < 0.15) return [...copy, random.pick(ODD_VALUES)];
    const index = random.int(copy.length);
    copy[index] = mutateJson(copy[index], random, depth + 1);
    return copy;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return random.pick(ODD_VALUES);
    const target = random.int(entries.length);
    const drop = random.next() < 0.2;
    return Object.fromEntries(
      entries.flatMap(([key, item], index) =>
        index !== target ? [[key, item]] : drop ? [] : [[key, mutateJson(item, random, depth + 1)]],
      ),
    );
  }
  return random.pick(ODD_VALUES);
}

/** One SSE event block with its field lines, as split on blank lines. */
function events(text: string): string[] {
  return text.split(/(?<=\r?\n\r?\n)/).filter((block) => block !== '');
}

function mutateEventJson(block: string, random: Random): string {
  return block.replace(/^data: ?(.*)$/m, (line, data: string) => {
    try {
      return `data: ${JSON.stringify(mutateJson(JSON.parse(data), random))}`;
    } catch {
      return line;
    }
  });
}

function randomBytes(random: Random, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index += 1) bytes[index] = random.int(256);
  return bytes;
}

/** A mutated copy of a recorded SSE body (one or more mutations), or random bytes. */
export function mutateSse(recorded: string, random: Random): Buffer {
  if (random.next() < 0.05) return randomBytes(random, random.int(600));
  let blocks = events(recorded);
  const mutations = 1 + random.int(3);
  for (let count = 0; count < mutations; count += 1) {
    const index = random.int(Math.max(1, blocks.length));
    switch (random.int(6)) {
      case 0:
        blocks = blocks.map((block, at) => (at === index ? mutateEventJson(block, random) : block));
        break;
      case 1:
        blocks.splice(index, 1);
        break;
      case 2:
        blocks.splice(index, 0, blocks[index] ?? '');
        break;
      case 3:
        blocks.splice(index, 0, `data: ${randomBytes(random, random.int(40)).toString('latin1')}\n\n`);
        break;
      case 4:
        blocks.splice(index, 0, random.pick(['data: [DONE]\n\n', 'data: {\n\n', 'data:\n\n', ': c\n\n']));
        break;
      default:
        blocks = blocks.map((block, at) => (at === index ? mutateEventJson(block, random) : block));
    }
  }
  let bytes = Buffer.from(blocks.join(''), 'utf8');
  if (random.next() < 0.3) bytes = bytes.subarray(0, random.int(bytes.length + 1));
  if (random.next() < 0.2) {
    bytes = Buffer.from(bytes);
    for (let flips = 1 + random.int(4); flips > 0 && bytes.length > 0; flips -= 1)
      bytes[random.int(bytes.length)] = random.int(256);
  }
  return bytes;
}

/** Splits bytes at random offsets (mid-line, mid-UTF-8 sequence) for delivery. */
export function randomPieces(bytes: Buffer, random: Random): Buffer[] {
  const pieces: Buffer[] = [];
  let start = 0;
  while (start < bytes.length) {
    const size = 1 + random.int(random.next() < 0.25 ? 8 : 400);
    pieces.push(bytes.subarray(start, start + size));
    start += size;
  }
  return pieces;
}
