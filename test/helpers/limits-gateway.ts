/**
 * A gateway core (compose-gateway.ts) in live mode against an emulator, driven in-process with
 * handleChat and a principal of the test's choosing — the virtual keys that carry limits are
 * resolved by another layer, so governance tests hand the principal in directly.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { composeGateway, type GatewayCore } from '../../src/compose-gateway.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { KeyLimits, Principal } from '../../src/contracts/principal.ts';
import { handleChat } from '../../src/gateway/handle-chat.ts';
import { createRecordingWriter, type RecordingWriter } from '../../src/gateway/testing/index.ts';

export interface LimitsInstance {
  core: GatewayCore;
  /** Every line logged at info level or above, parsed. */
  logs: { level: number; msg: string; [field: string]: unknown }[];
  close(): Promise<void>;
}

/**
 * Composes a gateway on `origin` (the emulator). Without SIGNALBOX_DATABASE_URL in `env`
 * nothing is stored (persistence `none`) unless `persistence` says `database` (PGlite).
 */
export async function startLimitsInstance(
  origin: string,
  env: Record<string, string> = {},
  persistence: 'database' | 'none' = env.SIGNALBOX_DATABASE_URL === undefined ? 'none' : 'database',
): Promise<LimitsInstance> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-limits-'));
  const config = loadConfig({
    SIGNALBOX_DATA_DIR: dataDir,
    OPENROUTER_API_KEY: 'sk-or-v1-limits-tests-00000000',
    OPENROUTER_BASE_URL: `${origin}/api/v1`,
    SIGNALBOX_MAX_RETRIES: '0',
    ...env,
  });
  const logs: LimitsInstance['logs'] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line !== '') logs.push(JSON.parse(line) as LimitsInstance['logs'][number]);
      callback();
    },
  });
  const core = await composeGateway(config, {
    logger: pino({ level: 'info' }, sink),
    persistence,
  });
  return {
    core,
    logs,
    close: async () => {
      await core.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A client key's limits: everything unlimited unless given. */
export function clientLimits(limits: Partial<KeyLimits> = {}): KeyLimits {
  return {
    rpm: null,
    tpm: null,
    budget: null,
    maxConcurrency: null,
    maxCostPerRequestNanoUsd: null,
    models: null,
    policies: null,
    defaultPolicy: null,
    allowUnpriced: false,
    ...limits,
  };
}

/** A client principal with its own key id. */
export function clientPrincipal(
  limits: Partial<KeyLimits> = {},
  projectId: string | null = null,
): Principal {
  return {
    keyId: `key-${randomUUID()}`,
    role: 'client',
    projectId,
    name: 'test key',
    limits: clientLimits(limits),
  };
}

export interface ChatOutcome {
  /** The request's id (its ledger row). */
  id: string;
  writer: RecordingWriter;
  abort: AbortController;
}

/**
 * Runs one chat request through the pipeline; resolves once it is settled. `abort` lets the
 * caller play a client that leaves.
 */
export async function chatOn(
  core: GatewayCore,
  principal: Principal,
  body: Record<string, unknown>,
  abort: AbortController = new AbortController(),
): Promise<ChatOutcome> {
  const writer = createRecordingWriter(abort);
  const bytes = Buffer.from(JSON.stringify(body));
  const id = `limits-${randomUUID()}`;
  await handleChat(
    {
      body,
      rawBody: bytes,
      requestId: id,
      abort,
      receivedAt: Date.now(),
      principal,
    },
    core.gateway,
    writer,
  );
  return { id, writer, abort };
}
