/**
 * What a chat request needs of a model and a provider, read once per request: capabilities
 * (tools, forced tool choice, structured outputs, JSON mode, reasoning, image/file/audio/video
 * inputs), its size (estimated prompt tokens, requested output), and OpenRouter's provider
 * preferences (`provider.only/ignore/order/sort`, data policy). Field names follow OpenAI's
 * `CreateChatCompletionRequest` and OpenRouter's `ChatRequest` / `ProviderPreferences`.
 */
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import { isRecord } from '../lib/is-record.ts';
import { Feature } from './routing-catalog.ts';

export interface ProviderPreferences {
  /** `provider.only`; null when absent. */
  only: readonly string[] | null;
  ignore: readonly string[];
  order: readonly string[];
  /**
   * `provider.data_collection: "deny"` or `provider.zdr: true`: only a provider that can
   * enforce the data policy may serve (OpenRouter enforces it across its own providers).
   */
  restrictsData: boolean;
}

export interface RequestRequirements {
  /** {@link Feature} bits every candidate model must have. */
  features: number;
  /** Estimated prompt tokens: characters / 4 over message text and tool definitions, +4 per message. */
  promptTokens: number;
  /** `max_completion_tokens` ?? `max_tokens`; null when the request sets neither. */
  maxOutputTokens: number | null;
  preferences: ProviderPreferences;
  /** The request's OpenRouter routing fields, as given, for the decision; null when none. */
  providerFields: Record<string, unknown> | null;
}

const NO_PREFERENCES: ProviderPreferences = {
  only: null,
  ignore: [],
  order: [],
  restrictsData: false,
};

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((entry): entry is string => typeof entry === 'string')
    : [];
}

const partFeature: Readonly<Record<string, number>> = {
  image_url: Feature.image,
  file: Feature.file,
  input_file: Feature.file,
  input_audio: Feature.audio,
  video_url: Feature.video,
  input_video: Feature.video,
};

/** Characters of text and the input features of the messages. */
function scanMessages(request: ChatCompletionRequest): { characters: number; features: number } {
  let characters = 0;
  let features = 0;
  for (const message of request.messages) {
    const content = message.content;
    if (typeof content === 'string') characters += content.length;
    else if (content !== null && content !== undefined) {
      for (const part of content) {
        const text: unknown = part.text;
        if (typeof text === 'string') characters += text.length;
        const type: unknown = part.type;
        if (typeof type === 'string') features |= partFeature[type] ?? 0;
      }
    }
  }
  return { characters, features };
}

function usesTools(request: ChatCompletionRequest): boolean {
  const tools = request.tools;
  if (request.tool_choice === 'none' || tools === undefined) return false;
  return tools.some((tool) => tool.type === 'function');
}

function asksForReasoning(request: ChatCompletionRequest): boolean {
  const reasoning = request.reasoning;
  if (isRecord(reasoning)) {
    if (reasoning.enabled === false || reasoning.effort === 'none') return false;
    return (
      reasoning.enabled === true ||
      typeof reasoning.effort === 'string' ||
      typeof reasoning.max_tokens === 'number'
    );
  }
  const effort = request.reasoning_effort;
  if (typeof effort === 'string') return effort !== 'none';
  return request.include_reasoning === true;
}

function responseFormatFeature(request: ChatCompletionRequest): number {
  const format = request.response_format;
  if (!isRecord(format)) return 0;
  if (format.type === 'json_schema') return Feature.structuredOutputs;
  if (format.type === 'json_object') return Feature.responseFormat;
  return 0;
}

function preferencesOf(provider: unknown): ProviderPreferences {
  if (!isRecord(provider)) return NO_PREFERENCES;
  return {
    only: Array.isArray(provider.only) ? strings(provider.only) : null,
    ignore: strings(provider.ignore),
    order: strings(provider.order),
    restrictsData: provider.data_collection === 'deny' || provider.zdr === true,
  };
}

function providerFieldsOf(request: ChatCompletionRequest): Record<string, unknown> | null {
  if (request.provider === undefined && request.models === undefined && request.route === undefined)
    return null;
  const fields: Record<string, unknown> = {};
  if (isRecord(request.provider)) Object.assign(fields, request.provider);
  if (request.models !== undefined) fields.models = request.models;
  if (request.route !== undefined) fields.route = request.route;
  return Object.keys(fields).length === 0 ? null : fields;
}

/** Reads the request's requirements (one pass over the messages). */
export function requestRequirements(request: ChatCompletionRequest): RequestRequirements {
  const scanned = scanMessages(request);
  let features = scanned.features;
  let characters = scanned.characters;
  if (usesTools(request)) {
    features |= Feature.tools;
    const choice = request.tool_choice;
    if (choice === 'required' || isRecord(choice)) features |= Feature.toolChoice;
    characters += JSON.stringify(request.tools).length;
  }
  features |= responseFormatFeature(request);
  if (asksForReasoning(request)) features |= Feature.reasoning;
  const asked = request.max_completion_tokens ?? request.max_tokens;
  return {
    features,
    promptTokens: Math.ceil(characters / 4) + 4 * request.messages.length,
    maxOutputTokens: typeof asked === 'number' ? asked : null,
    preferences: preferencesOf(request.provider),
    providerFields: providerFieldsOf(request),
  };
}

/** One capability requirement: its bit, the request field it comes from, and how it is shown. */
export interface FeatureRequirement {
  feature: number;
  /** In the decision's `requirements` list. */
  name: string;
  /** The request field, for the error's `param`. */
  param: string;
  /** "tool calling", for sentences. */
  label: string;
}

/** Every capability requirement, in the order they are checked and reported. */
export const featureRequirements: readonly FeatureRequirement[] = [
  { feature: Feature.tools, name: 'tools', param: 'tools', label: 'tool calling' },
  {
    feature: Feature.toolChoice,
    name: 'tool_choice',
    param: 'tool_choice',
    label: 'a forced tool choice',
  },
  {
    feature: Feature.structuredOutputs,
    name: 'structured_outputs',
    param: 'response_format',
    label: 'structured outputs (response_format json_schema)',
  },
  {
    feature: Feature.responseFormat,
    name: 'json_mode',
    param: 'response_format',
    label: 'JSON mode (response_format json_object)',
  },
  { feature: Feature.reasoning, name: 'reasoning', param: 'reasoning', label: 'reasoning' },
  { feature: Feature.image, name: 'image_input', param: 'messages', label: 'image input' },
  { feature: Feature.file, name: 'file_input', param: 'messages', label: 'file input' },
  { feature: Feature.audio, name: 'audio_input', param: 'messages', label: 'audio input' },
  { feature: Feature.video, name: 'video_input', param: 'messages', label: 'video input' },
];

/** The decision's `requirements` list for a requirement set. */
export function requirementNames(requirements: RequestRequirements): string[] {
  const names: string[] = [];
  for (const requirement of featureRequirements)
    if ((requirements.features & requirement.feature) !== 0) names.push(requirement.name);
  if (requirements.preferences.restrictsData) names.push('data_policy');
  return names;
}

const featureByName: ReadonlyMap<string, number> = new Map(
  featureRequirements.map((requirement) => [requirement.name, requirement.feature]),
);

/**
 * The {@link Feature} bits of a decision's `requirements` list (names it does not know, such as
 * `data_policy`, add nothing) — what the ledger's `required_features` column stores.
 */
export function featureBitsOfNames(names: readonly string[]): number {
  let bits = 0;
  for (const name of names) bits |= featureByName.get(name) ?? 0;
  return bits;
}
