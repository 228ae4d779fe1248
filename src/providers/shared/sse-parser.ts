/**
 * Incremental server-sent-events parser, following the WHATWG HTML standard
 * § 9.2.6 "Interpreting an event stream"
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
 *
 * Differences from an EventSource, on purpose: comments are reported (OpenRouter's
 * `: OPENROUTER PROCESSING` keep-alives must be visible to callers that time them), and
 * nothing reconnects. Lines are found with `indexOf`, never a regular expression, and bytes
 * are decoded with one streaming TextDecoder so a UTF-8 sequence split across chunks is intact.
 */

/** One parsed item: a dispatched event, or a comment line (text after `:`, one leading space dropped). */
export type SseMessage =
  | { type: 'event'; event?: string; data: string; id?: string; retry?: number }
  | { type: 'comment'; text: string };

export interface SseParser {
  /** Feeds the next bytes (or already-decoded text); returns the items they complete, in order. */
  push(chunk: Uint8Array | string): SseMessage[];
  /**
   * Ends the stream. Per the standard, an event not yet terminated by a blank line is dropped;
   * a final unterminated comment line is still reported.
   */
  end(): SseMessage[];
}

const LF = '\n';
const CR = '\r';
const BOM = '\uFEFF';

/** Creates a parser for one stream. Not reusable across streams. */
export function createSseParser(): SseParser {
  const decoder = new TextDecoder('utf-8');
  /** Text of the current line so far (never contains CR or LF). */
  let partialLine = '';
  /** The previous chunk ended in CR: a LF at the start of the next one belongs to it. */
  let skipLeadingLf = false;
  let atStreamStart = true;
  let data = '';
  let hasData = false;
  let eventType = '';
  let lastEventId: string | undefined;
  let retry: number | undefined;

  function dispatch(output: SseMessage[]): void {
    if (hasData) {
      const message: SseMessage = { type: 'event', data };
      if (eventType !== '') message.event = eventType;
      if (lastEventId !== undefined) message.id = lastEventId;
      if (retry !== undefined) message.retry = retry;
      output.push(message);
    }
    data = '';
    hasData = false;
    eventType = '';
  }

  function processLine(line: string, output: SseMessage[]): void {
    if (line === '') {
      dispatch(output);
      return;
    }
    const colon = line.indexOf(':');
    if (colon === 0) {
      output.push({
        type: 'comment',
        text: line.charCodeAt(1) === 32 ? line.slice(2) : line.slice(1),
      });
      return;
    }
    let field = line;
    let value = '';
    if (colon > 0) {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case 'data':
        data = hasData ? `${data}\n${value}` : value;
        hasData = true;
        break;
      case 'event':
        eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) lastEventId = value;
        break;
      case 'retry':
        if (value !== '' && isAsciiDigits(value)) retry = Number(value);
        break;
      default:
        // The standard ignores unknown fields.
        break;
    }
  }

  function feed(text: string, output: SseMessage[]): void {
    let start = 0;
    if (skipLeadingLf && text.length > 0) {
      if (text.startsWith(LF)) start = 1;
      skipLeadingLf = false;
    }
    let nextLf = text.indexOf(LF, start);
    let nextCr = text.indexOf(CR, start);
    while (nextLf !== -1 || nextCr !== -1) {
      const end = nextCr === -1 || (nextLf !== -1 && nextLf < nextCr) ? nextLf : nextCr;
      const piece = text.slice(start, end);
      const line = partialLine === '' ? piece : partialLine + piece;
      partialLine = '';
      processLine(line, output);
      start = end + 1;
      if (end === nextCr) {
        if (start === text.length) {
          skipLeadingLf = true;
        } else if (text.charCodeAt(start) === 10) {
          start += 1;
        }
        nextCr = text.indexOf(CR, start);
        if (nextLf !== -1 && nextLf < start) nextLf = text.indexOf(LF, start);
      } else {
        nextLf = text.indexOf(LF, start);
        if (nextCr !== -1 && nextCr < start) nextCr = text.indexOf(CR, start);
      }
    }
    if (start < text.length) partialLine += text.slice(start);
  }

  return {
    push(chunk) {
      let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      if (atStreamStart && text.length > 0) {
        atStreamStart = false;
        if (text.startsWith(BOM)) text = text.slice(1);
      }
      const output: SseMessage[] = [];
      feed(text, output);
      return output;
    },
    end() {
      const output: SseMessage[] = [];
      feed(decoder.decode(), output);
      if (partialLine.startsWith(':')) processLine(partialLine, output);
      partialLine = '';
      data = '';
      hasData = false;
      return output;
    },
  };
}

function isAsciiDigits(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}
