/** A pino logger at `trace` (redaction as in production) whose lines tests can read back. */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { redactedLogPaths } from '../../src/security/redact.ts';

export interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  [field: string]: unknown;
}

export interface CapturedLog {
  logger: Logger;
  /** Every line written so far, raw. */
  text: () => string;
  lines: () => LogLine[];
}

export function captureLog(): CapturedLog {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const logger = pino(
    { level: 'trace', redact: { paths: [...redactedLogPaths], censor: '[redacted]' } },
    sink,
  );
  const text = (): string => chunks.join('');
  return {
    logger,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as LogLine),
  };
}
