/**
 * GET /api/v1/generation, /key and /credits in the OpenAPI spec's example shapes
 * (openapi.yaml; no raw recording of them exists). Money is USD (float) as OpenRouter sends it,
 * from the emulator ledger's exact nano-USD totals.
 */
import type { ServerResponse } from 'node:http';
import { nanoToUsdNumber } from '../pricing/decimal.ts';
import type { EmulatorLedger } from './emulator-ledger.ts';
import { sendJson } from './http-io.ts';
import { EMULATOR_USER_ID } from './openrouter-error-body.ts';

/** Credits the emulated account was given, in USD (the spec example has 100.5). */
export const EMULATOR_TOTAL_CREDITS_USD = 100;

/** `sk-or-v1-au7...890`: the spec's masked label (first 12 and last 3 characters). */
export function maskKey(apiKey: string): string {
  return apiKey.length > 15
    ? `${apiKey.slice(0, 12)}...${apiKey.slice(-3)}`
    : `${apiKey.slice(0, 3)}...`;
}

/** GET /api/v1/generation?id=gen-…: the record, or 404 `Resource not found` (spec). */
export function sendGeneration(
  response: ServerResponse,
  ledger: EmulatorLedger,
  id: string | null,
): void {
  const record = id === null ? undefined : ledger.generation(id);
  if (record === undefined) {
    sendJson(response, 404, { error: { code: 404, message: 'Resource not found' } });
    return;
  }
  sendJson(response, 200, { data: record });
}

/** GET /api/v1/key: the caller's key with its spend; no limit (`limit: null` = unlimited). */
export function sendKey(response: ServerResponse, ledger: EmulatorLedger, apiKey: string): void {
  const usage = nanoToUsdNumber(ledger.spentNanoUsd(apiKey));
  sendJson(response, 200, {
    data: {
      label: maskKey(apiKey),
      limit: null,
      limit_remaining: null,
      limit_reset: null,
      include_byok_in_limit: false,
      usage,
      usage_daily: usage,
      usage_weekly: usage,
      usage_monthly: usage,
      byok_usage: 0,
      byok_usage_daily: 0,
      byok_usage_weekly: 0,
      byok_usage_monthly: 0,
      is_free_tier: false,
      is_management_key: false,
      is_provisioning_key: false,
      creator_user_id: EMULATOR_USER_ID,
      expires_at: null,
      rate_limit: {
        interval: '1h',
        note: 'This field is deprecated and safe to ignore.',
        requests: 1000,
      },
    },
  });
}

/** GET /api/v1/credits: `{"data":{"total_credits","total_usage"}}` in USD. */
export function sendCredits(response: ServerResponse, ledger: EmulatorLedger): void {
  sendJson(response, 200, {
    data: {
      total_credits: EMULATOR_TOTAL_CREDITS_USD,
      total_usage: nanoToUsdNumber(ledger.totalSpentNanoUsd()),
    },
  });
}
