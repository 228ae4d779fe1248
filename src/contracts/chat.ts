/**
 * Chat Completions wire types: OpenAI's format with OpenRouter's extensions.
 * Sources: OpenAI OpenAPI `CreateChatCompletionRequest`/`CreateChatCompletionResponse`/
 * `CreateChatCompletionStreamResponse`; OpenRouter OpenAPI `ChatRequest`, `ChatResponse`,
 * `ChatStreamingResponseChunk`, `ChatUsage` (OpenRouter's OpenAPI spec, docs/upstream-api-notes.md).
 * Only the fields Signalbox reads are typed; every other field passes through untouched.
 */

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  /** OpenRouter echoes the position of the call. */
  index?: number;
}

export interface ChatMessage {
  role: Role;
  /** A string, an array of content parts, or null for an assistant message with tool calls. */
  content?: string | readonly Record<string, unknown>[] | null;
  name?: string;
  tool_calls?: readonly ToolCall[];
  tool_call_id?: string;
  [extra: string]: unknown;
}

export interface FunctionTool {
  type: 'function';
  function: {
    name: string;
    description?: string;
    parameters?: Record<string, unknown>;
    strict?: boolean;
  };
}

/** `tools` may also hold OpenRouter server tools such as `{"type":"openrouter:web_search"}`. */
export type Tool = FunctionTool | { type: string; [extra: string]: unknown };

export type ToolChoice =
  'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

/** The chat request. Unknown fields (OpenRouter's `provider`, `plugins`, `transforms`, …) pass through. */
export interface ChatCompletionRequest {
  /** Model id (OpenRouter canonical, e.g. `openai/gpt-4o`). May be absent when `models` is given. */
  model?: string;
  /** OpenRouter fallback models, tried in order by OpenRouter. */
  models?: readonly string[];
  messages: readonly ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean; [extra: string]: unknown } | null;
  /** Upper bound on completion tokens (legacy name). */
  max_tokens?: number | null;
  /** Upper bound on completion tokens, reasoning included. */
  max_completion_tokens?: number | null;
  tools?: readonly Tool[];
  tool_choice?: ToolChoice;
  [extra: string]: unknown;
}

/** Token usage (OpenRouter `ChatUsage`); `cost` is OpenRouter's charge in USD credits (float). */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: {
    cached_tokens?: number;
    cache_write_tokens?: number;
    audio_tokens?: number;
    [extra: string]: unknown;
  } | null;
  completion_tokens_details?: { reasoning_tokens?: number; [extra: string]: unknown } | null;
  cost?: number | null;
  is_byok?: boolean;
  cost_details?: Record<string, unknown> | null;
  [extra: string]: unknown;
}

/** Normalised finish reasons (OpenRouter `ChatFinishReasonEnum`). */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error';

export interface ChatCompletionChoice {
  index: number;
  message: {
    role: 'assistant';
    content: string | null;
    refusal?: string | null;
    reasoning?: string | null;
    tool_calls?: ToolCall[];
    [extra: string]: unknown;
  };
  finish_reason: FinishReason | null;
  native_finish_reason?: string | null;
  logprobs?: unknown;
  [extra: string]: unknown;
}

/** Non-streaming response (`object: "chat.completion"`). */
export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  /** OpenRouter: the provider that served the request (e.g. `OpenAI`). */
  provider?: string;
  system_fingerprint: string | null;
  choices: ChatCompletionChoice[];
  usage?: Usage;
  [extra: string]: unknown;
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface ChatCompletionChunkChoice {
  index: number;
  delta: {
    role?: 'assistant';
    content?: string | null;
    reasoning?: string | null;
    refusal?: string | null;
    tool_calls?: ToolCallDelta[];
    [extra: string]: unknown;
  };
  finish_reason: FinishReason | null;
  native_finish_reason?: string | null;
  [extra: string]: unknown;
}

/** One streamed chunk (`object: "chat.completion.chunk"`). OpenRouter may add `error` in-band. */
export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  provider?: string;
  choices: ChatCompletionChunkChoice[];
  usage?: Usage | null;
  error?: { code?: number | string | null; message?: string; metadata?: unknown };
  [extra: string]: unknown;
}
