/**
 * Every provider kind Signalbox speaks, one line each. Adding a kind: its folder (adapter,
 * translation, `<kind>-provider-kind.ts`) and one line here.
 */
import type { ProviderKind } from '../config/config.ts';
import { anthropicProviderKind } from './anthropic/anthropic-provider-kind.ts';
import { customProviderKind } from './custom/custom-provider-kind.ts';
import { geminiProviderKind } from './gemini/gemini-provider-kind.ts';
import { openAIProviderKind } from './openai/openai-provider-kind.ts';
import { openRouterProviderKind } from './openrouter/openrouter-provider-kind.ts';
import type { ProviderKindDefinition } from './provider-kind.ts';

const kinds: Readonly<Record<ProviderKind, ProviderKindDefinition>> = {
  openrouter: openRouterProviderKind,
  openai: openAIProviderKind,
  anthropic: anthropicProviderKind,
  gemini: geminiProviderKind,
  'openai-compatible': customProviderKind,
};

/** The definition of a kind. */
export function providerKind(kind: ProviderKind): ProviderKindDefinition {
  return kinds[kind];
}

/** All kinds, for listings (the admin API, the dashboard). */
export function providerKinds(): ProviderKindDefinition[] {
  return Object.values(kinds);
}
