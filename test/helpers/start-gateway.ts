/** Starts a whole gateway (demo mode, PGlite in a temp dir, port 0) for end-to-end tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { request } from 'undici';
import { createApp, type SignalboxApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';

export interface TestGateway {
  app: SignalboxApp;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The master key generated at start. */
  key: string;
  /** The in-process emulator's origin. */
  emulatorOrigin: string;
  close(): Promise<void>;
}

/**
 * Starts a gateway. Without OPENROUTER_API_KEY in `env` it runs in demo mode; with one, pass
 * `emulatorOrigin` (the external emulator its upstreams point at) so helpers can reach it.
 */
export async function startGateway(
  env: Record<string, string> = {},
  external: { emulatorOrigin?: string } = {},
): Promise<TestGateway> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-e2e-'));
  const config = loadConfig({ PORT: '0', SIGNALBOX_DATA_DIR: dataDir, ...env });
  const app = await createApp(config, { logger: pino({ level: 'silent' }) });
  const url = await app.listen();
  const key = app.generatedMasterKey;
  const emulatorOrigin = app.emulatorOrigin ?? external.emulatorOrigin ?? null;
  if (key === null || emulatorOrigin === null) {
    throw new Error('expected a generated key and an emulator (demo mode or external)');
  }
  return {
    app,
    url,
    key,
    emulatorOrigin,
    close: async () => {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Programs a fault in the emulator through its control endpoint. */
export async function addEmulatorFault(
  emulatorOrigin: string,
  fault: Record<string, unknown>,
): Promise<void> {
  const response = await request(`${emulatorOrigin}/__emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  await response.body.dump();
  if (response.statusCode >= 300) throw new Error(`fault not accepted: ${response.statusCode}`);
}

export interface EmulatorLedgerRow {
  generationId: string | null;
  model: string | null;
  stream: boolean;
  status: number;
  requestBody: unknown;
  costNanoUsd: string | null;
  outcome: string;
}

export async function emulatorLedger(emulatorOrigin: string): Promise<EmulatorLedgerRow[]> {
  const response = await request(`${emulatorOrigin}/__emulator/ledger`);
  const body = (await response.body.json()) as { data: EmulatorLedgerRow[] };
  return body.data;
}

export interface AdminRequestRow {
  id: string;
  model: string;
  provider: string | null;
  status: string;
  http_status: number;
  stream: boolean;
  generation_id: string | null;
  cost_nanousd: number | null;
  cost_source: string | null;
  usage: { prompt_tokens: number | null; completion_tokens: number | null };
  attempts: {
    provider: string;
    status: string;
    generation_id: string | null;
    cost_nanousd: number | null;
    cost_source: string | null;
    upstream_status: number | null;
  }[];
}

/** Every ledger row, following the cursor. */
export async function gatewayLedger(
  gateway: Pick<TestGateway, 'url' | 'key'>,
): Promise<AdminRequestRow[]> {
  const rows: AdminRequestRow[] = [];
  let cursor: string | null = null;
  do {
    const query: string =
      cursor === null ? '?limit=200' : `?limit=200&cursor=${encodeURIComponent(cursor)}`;
    const response = await request(`${gateway.url}/admin/requests${query}`, {
      headers: { authorization: `Bearer ${gateway.key}` },
    });
    const page = (await response.body.json()) as {
      data: AdminRequestRow[];
      next_cursor: string | null;
    };
    rows.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return rows;
}
