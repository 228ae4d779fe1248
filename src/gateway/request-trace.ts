/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) for the pipeline: reading a client's
 * `traceparent`, and the ids of a request's spans. Used only when tracing is on.
 */
import { randomBytes } from 'node:crypto';
import type { RequestTrace } from './request-context.ts';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/** A new span id: 16 lowercase hex digits. */
export function newSpanId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * The request's trace: continuing the client's `traceparent` when it is a valid version-00
 * header (ids not all zeros), else a new trace.
 */
export function requestTrace(traceparent: string | undefined): RequestTrace {
  const match = traceparent === undefined ? null : TRACEPARENT.exec(traceparent.trim());
  const traceId = match?.[1];
  const parentSpanId = match?.[2];
  const valid =
    traceId !== undefined &&
    parentSpanId !== undefined &&
    !/^0+$/.test(traceId) &&
    !/^0+$/.test(parentSpanId);
  return {
    traceId: valid ? traceId : randomBytes(16).toString('hex'),
    parentSpanId: valid ? parentSpanId : null,
    spanId: newSpanId(),
    attemptSpanIds: [],
  };
}

/** The `traceparent` an attempt sends upstream: its own span, sampled. */
export function attemptTraceparent(trace: RequestTrace, attemptNumber: number): string {
  const spanId = newSpanId();
  trace.attemptSpanIds[attemptNumber] = spanId;
  return `00-${trace.traceId}-${spanId}-01`;
}
