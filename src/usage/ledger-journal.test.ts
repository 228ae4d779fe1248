import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestRecord } from '../contracts/ledger.ts';
import { SignalboxError } from '../contracts/errors.ts';
import {
  decodeJournalEntry,
  decodeJournalLine,
  encodeGenerationLine,
  encodeIntentLine,
  encodeJournalLine,
} from './ledger-journal-codec.ts';
import { openLedgerJournal } from './ledger-journal.ts';

const record: RequestRecord = {
  id: 'req-codec',
  createdAt: new Date('2026-05-01T10:00:00.123Z'),
  model: 'anthropic/claude-sonnet-4',
  provider: null,
  servedModel: null,
  status: 'upstream_unavailable',
  httpStatus: 502,
  stream: false,
  generationId: null,
  promptTokens: null,
  completionTokens: null,
  reasoningTokens: null,
  cachedTokens: null,
  latencyMs: 1200,
  ttftMs: null,
  costNanoUsd: null,
  costSource: null,
  policy: null,
  policyVersion: null,
  policyVariant: null,
  servedCandidate: null,
  routingDecision: null,
  keyId: null,
  projectId: null,
  queueWaitMs: null,
  requiredFeatures: null,
  attempts: [
    {
      attemptNumber: 0,
      provider: 'openrouter',
      model: 'anthropic/claude-sonnet-4',
      servedModel: 'anthropic/claude-4-sonnet-20250522',
      generationId: 'gen-1',
      status: 'success',
      upstreamStatus: 200,
      startedAt: new Date('2026-05-01T10:00:00.001Z'),
      latencyMs: 1100,
      ttftMs: 300,
      promptTokens: 10,
      completionTokens: 20,
      reasoningTokens: 5,
      cachedTokens: 2,
      costNanoUsd: 9_007_199_254_740_993n,
      costSource: 'computed',
    },
  ],
};

describe('ledger journal lines', () => {
  it('round-trips a record exactly, bigints beyond 2^53 and nulls included', () => {
    const line = encodeJournalLine(record);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(line.startsWith('{"v":1,"id":"req-codec","createdAt":"2026-05-01T10:00:00.123Z"')).toBe(
      true,
    );
    expect(line).toContain('"costNanoUsd":"9007199254740993"');
    expect(decodeJournalLine(line.trimEnd())).toEqual(record);
  });

  it('refuses a line of another version or shape, and a torn line', () => {
    const line = encodeJournalLine(record).trimEnd();
    expect(() => decodeJournalLine(line.replace('"v":1', '"v":2'))).toThrow(SignalboxError);
    expect(() => decodeJournalLine(line.replace('"httpStatus":502', '"httpStatus":"502"'))).toThrow(
      SignalboxError,
    );
    expect(() => decodeJournalLine(line.slice(0, 40))).toThrow(SyntaxError);
  });

  it('carries the routing fields, and reads lines written before they existed as null', () => {
    const routed: RequestRecord = {
      ...record,
      policy: 'support',
      policyVersion: 3,
      policyVariant: 'b',
      servedCandidate: 1,
      routingDecision: {
        requested_model: 'signalbox/support',
        selected_model: 'openai/gpt-4o-mini',
        selected_provider: 'openrouter',
        fallback_models: [],
        reasoning: ['Policy support@3, variant b.'],
        estimated_cost_usd: { min: 0.0001, expected: 0.0002, max: 0.003 },
        estimated_latency_ms: { ttft: null, total: null },
        confidence_score: 0.625,
        policy: { name: 'support', version: 3, variant: 'b' },
        strategy: 'cheapest',
        requirements: [],
        max_cost_usd: null,
        provider_preferences: null,
        candidates: [],
        candidates_considered: 1,
        excluded: [],
        excluded_counts: {},
        error: null,
        decided_in_us: 12,
      },
    };
    expect(decodeJournalLine(encodeJournalLine(routed).trimEnd())).toEqual(routed);
    const routingFields = new Set([
      'policy',
      'policyVersion',
      'policyVariant',
      'servedCandidate',
      'routingDecision',
    ]);
    const before = Object.fromEntries(
      Object.entries(JSON.parse(encodeJournalLine(record)) as Record<string, unknown>).filter(
        ([key]) => !routingFields.has(key),
      ),
    );
    expect(Object.keys(before)).not.toContain('routingDecision');
    expect(decodeJournalLine(JSON.stringify(before))).toEqual(record);
  });
});

describe('intent and generation lines', () => {
  const intent = {
    requestId: 'req-intent',
    createdAt: new Date('2026-05-01T10:00:00.123Z'),
    model: 'openai/gpt-4o',
    stream: false,
    attemptNumber: 1,
    provider: 'openai',
    upstreamModel: 'gpt-4o',
    canonicalModel: 'openai/gpt-4o',
    startedAt: new Date('2026-05-01T10:00:00.456Z'),
    maxCostNanoUsd: 9_007_199_254_740_993n,
  };

  it('round-trip exactly, and are told apart from records', () => {
    const line = encodeIntentLine(intent);
    expect(line.startsWith('{"v":1,"t":"begin","requestId":"req-intent"')).toBe(true);
    expect(decodeJournalEntry(line.trimEnd())).toEqual({ kind: 'begin', intent });
    expect(
      decodeJournalEntry(encodeIntentLine({ ...intent, maxCostNanoUsd: null }).trimEnd()),
    ).toEqual({
      kind: 'begin',
      intent: { ...intent, maxCostNanoUsd: null },
    });
    const generation = {
      requestId: 'req-intent',
      attemptNumber: 1,
      generationId: 'gen-1',
      at: new Date('2026-05-01T10:00:01.000Z'),
    };
    expect(decodeJournalEntry(encodeGenerationLine(generation).trimEnd())).toEqual({
      kind: 'generation',
      generation,
    });
    expect(decodeJournalEntry(encodeJournalLine(record).trimEnd())).toEqual({
      kind: 'record',
      record,
    });
    expect(() => decodeJournalLine(line.trimEnd())).toThrow(SignalboxError);
  });

  it('refuse an unknown kind or a malformed field', () => {
    const line = encodeIntentLine(intent).trimEnd();
    expect(() => decodeJournalEntry(line.replace('"t":"begin"', '"t":"end"'))).toThrow(
      SignalboxError,
    );
    expect(() =>
      decodeJournalEntry(line.replace('"attemptNumber":1', '"attemptNumber":"1"')),
    ).toThrow(SignalboxError);
  });

  it('accept every cost source of a record, and only those', () => {
    for (const costSource of ['provider', 'reconciled', 'computed', 'estimated'] as const) {
      const withSource = { ...record, costSource, costNanoUsd: 1n };
      expect(decodeJournalLine(encodeJournalLine(withSource).trimEnd())).toEqual(withSource);
    }
    const line = encodeJournalLine({ ...record, costSource: 'computed', costNanoUsd: 1n });
    expect(() => decodeJournalLine(line.replace('"computed"', '"guessed"').trimEnd())).toThrow(
      SignalboxError,
    );
  });
});

describe('openLedgerJournal', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'signalbox-journal-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('appends to the current segment, rotates after the appends made, and removes', async () => {
    const { journal, leftovers } = await openLedgerJournal(directory);
    expect(leftovers).toEqual([]);
    expect(journal.rotate()).toBeNull();
    const written = journal.append('a\n');
    const rotated = journal.rotate();
    expect(rotated).toEqual(written);
    const next = journal.append('b\n');
    expect(next.sequence).toBe(written.sequence + 1);
    expect(await readFile(written.path, 'utf8')).toBe('a\n');
    await journal.remove(written, false);
    await journal.close();
    // The current segment holds 'b': closing keeps it for the next start.
    expect(await readdir(directory)).toEqual([path.basename(next.path)]);
  });

  it('writes the lines queued in one turn together, before what is appended next, and says where', async () => {
    const { journal } = await openLedgerJournal(directory);
    const first = journal.append('intent\n');
    const told: string[] = [];
    const failed = (error: unknown): void => {
      throw error;
    };
    journal.appendQueued(
      'record-1\n',
      (segment) => told.push(`1@${String(segment.sequence)}`),
      failed,
    );
    journal.appendQueued(
      'record-2\n',
      (segment) => told.push(`2@${String(segment.sequence)}`),
      failed,
    );
    // Nothing of them is written until the turn ends or something else is written first
    // (read synchronously: awaiting anything would end the turn).
    expect(readFileSync(first.path, 'utf8')).toBe('intent\n');
    expect(told).toEqual([]);
    journal.append('intent-2\n');
    expect(await readFile(first.path, 'utf8')).toBe('intent\nrecord-1\nrecord-2\nintent-2\n');
    expect(told).toEqual([`1@${String(first.sequence)}`, `2@${String(first.sequence)}`]);

    // Queued lines reach the segment they were queued for, even when it rotates right after.
    journal.appendQueued(
      'record-3\n',
      (segment) => told.push(`3@${String(segment.sequence)}`),
      failed,
    );
    expect(journal.rotate()).toEqual(first);
    expect(told.at(-1)).toBe(`3@${String(first.sequence)}`);
    expect(await readFile(first.path, 'utf8')).toMatch(/record-3\n$/);

    // Left alone, the queue is written at the end of the turn.
    let written = false;
    journal.appendQueued('record-4\n', () => (written = true), failed);
    await new Promise((resolve) => {
      process.nextTick(resolve);
    });
    expect(written).toBe(true);
    await journal.close();
  });

  it('tells every queued caller when the write fails, and fails the append that wrote them', async () => {
    const { journal } = await openLedgerJournal(directory);
    const failures: unknown[] = [];
    journal.appendQueued(
      'record\n',
      () => undefined,
      (error) => failures.push(error),
    );
    // A closed descriptor makes the next write fail (EBADF) like a full disk would.
    await journal.close();
    expect(failures).toEqual([]);
    expect(() => journal.append('intent\n')).toThrow();
    journal.appendQueued(
      'late\n',
      () => undefined,
      (error) => failures.push(error),
    );
    journal.writeQueued();
    expect(failures).toHaveLength(1);
  });

  it('keeps a segment with an unreadable inner line as *.damaged once removed', async () => {
    const file = path.join(directory, 'ledger-000000000003.jsonl');
    await writeFile(file, `not json\n${encodeJournalLine(record)}`);
    const logger = { error: vi.fn(), warn: vi.fn() };
    const { journal, leftovers } = await openLedgerJournal(directory, { logger });
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]?.records).toEqual([record]);
    expect(leftovers[0]?.damaged).toBe(true);
    expect(logger.error).toHaveBeenCalledTimes(1);
    const [leftover] = leftovers;
    if (leftover !== undefined) await journal.remove(leftover.segment, leftover.damaged);
    await journal.close();
    expect(await readdir(directory)).toEqual(['ledger-000000000003.jsonl.damaged']);
  });
});
