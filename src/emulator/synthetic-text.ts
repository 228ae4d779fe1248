/**
 * The emulator's deterministic answer text, shared by every dialect: the same seed gives the
 * same words, cut into the few-word pieces a stream sends.
 */

const WORDS = [
  'signal',
  'box',
  'gateway',
  'route',
  'token',
  'stream',
  'model',
  'provider',
  'answer',
  'request',
  'latency',
  'budget',
  'ledger',
  'cost',
  'cache',
  'prompt',
  'reply',
  'chunk',
  'usage',
  'retry',
  'quick',
  'steady',
  'exact',
  'simple',
  'careful',
  'bright',
  'calm',
  'clear',
  'useful',
  'small',
  'and',
  'with',
  'from',
  'over',
  'under',
  'into',
  'about',
  'before',
  'after',
  'through',
];
const INTRO = ['This', 'is', 'an', 'emulated', 'answer', 'from', 'Signalbox:'];
const WORDS_PER_PIECE = 3;

/** The text of a content value: a string, or the `text` fields of an array of parts. */
export function textOfContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: readonly unknown[] = content;
  return parts
    .map((part) => (part as { text?: unknown } | null)?.text)
    .filter((text) => typeof text === 'string')
    .join('');
}

/**
 * The words of an answer: after a tool result, a sentence quoting it (first 200 characters);
 * otherwise an introduction and 5–24 words chosen by `seed` (or `count` words), ending "done.".
 */
export function answerWords(toolResult: string | null, seed: number, count?: number): string[] {
  if (toolResult !== null) {
    const result = toolResult.slice(0, 200).split(/\s+/);
    return ['The', 'tool', 'returned:', ...result.filter((word) => word !== '')];
  }
  const words = [...INTRO];
  let state = seed || 1;
  for (let index = 0; index < (count ?? 5 + (seed % 20)); index++) {
    state = Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) >>> 0;
    words.push(WORDS[state % WORDS.length] ?? 'token');
  }
  words.push('done.');
  return words;
}

/** Words joined into stream pieces of three (or `size`), each later piece starting with a space. */
export function wordPieces(words: readonly string[], size = WORDS_PER_PIECE): string[] {
  const result: string[] = [];
  for (let start = 0; start < words.length; start += size) {
    const text = words.slice(start, start + size).join(' ');
    result.push(start === 0 ? text : ` ${text}`);
  }
  return result;
}
