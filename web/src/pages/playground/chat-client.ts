/**
 * The playground's chat call: POST /admin/playground/chat/completions (the /v1 chat route
 * mounted under /admin, authenticated by the session cookie + CSRF token), JSON or SSE. For a
 * stream, text is handed over as it arrives; usage comes with the last chunk
 * (`stream_options.include_usage`). Abort with the signal to stop a stream.
 */
import { createParser } from 'eventsource-parser';
import { ApiError, getCsrfToken, type ErrorBody } from '../../api/client';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatSettings {
  model: string;
  temperature: number;
  maxTokens: number | null;
  stream: boolean;
}

export interface ReplyMeta {
  model: string | null;
  provider: string | null;
  /** `x-signalbox-route`: policy@version, variant, model, provider (and fallback position). */
  route: string | null;
  requestId: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** USD, as the upstream reported it (`usage.cost`); null when not reported. */
  costUsd: number | null;
  latencyMs: number;
  ttftMs: number | null;
  finishReason: string | null;
  stopped: boolean;
}

interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  cost?: number;
}

interface Chunk {
  model?: string;
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: Usage | null;
  error?: { message?: string; code?: string };
}

interface Completion {
  model?: string;
  choices?: { message?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: Usage;
}

/** Sends the conversation; calls `onText` with each piece of the reply. */
export async function sendChat(
  messages: ChatMessage[],
  settings: ChatSettings,
  onText: (text: string) => void,
  signal: AbortSignal,
): Promise<ReplyMeta> {
  const started = performance.now();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const csrf = getCsrfToken();
  if (csrf !== null) headers['x-csrf-token'] = csrf;
  const response = await fetch('/admin/playground/chat/completions', {
    method: 'POST',
    credentials: 'same-origin',
    headers,
    signal,
    body: JSON.stringify({
      model: settings.model,
      messages,
      temperature: settings.temperature,
      ...(settings.maxTokens === null ? {} : { max_tokens: settings.maxTokens }),
      ...(settings.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    }),
  });
  const meta: ReplyMeta = {
    model: null,
    provider: response.headers.get('x-signalbox-provider'),
    route: response.headers.get('x-signalbox-route'),
    requestId: response.headers.get('x-request-id'),
    promptTokens: null,
    completionTokens: null,
    costUsd: null,
    latencyMs: 0,
    ttftMs: null,
    finishReason: null,
    stopped: false,
  };
  if (!response.ok) throw new ApiError(response.status, (await response.json()) as ErrorBody);
  const readUsage = (usage: Usage | null | undefined) => {
    if (usage === null || usage === undefined) return;
    meta.promptTokens = usage.prompt_tokens ?? null;
    meta.completionTokens = usage.completion_tokens ?? null;
    meta.costUsd = usage.cost ?? null;
  };

  if (!settings.stream || response.body === null) {
    const completion = (await response.json()) as Completion;
    const choice = completion.choices?.[0];
    onText(choice?.message?.content ?? '');
    meta.model = completion.model ?? null;
    meta.finishReason = choice?.finish_reason ?? null;
    readUsage(completion.usage);
    meta.latencyMs = performance.now() - started;
    return meta;
  }

  let streamError: string | null = null;
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') return;
      const chunk = JSON.parse(event.data) as Chunk;
      if (chunk.error !== undefined) streamError = chunk.error.message ?? 'The stream failed.';
      meta.model ??= chunk.model ?? null;
      const choice = chunk.choices?.[0];
      const text = choice?.delta?.content;
      if (text !== undefined && text !== null && text !== '') {
        meta.ttftMs ??= performance.now() - started;
        onText(text);
      }
      if (choice?.finish_reason !== undefined && choice.finish_reason !== null)
        meta.finishReason = choice.finish_reason;
      readUsage(chunk.usage);
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(value);
    }
  } catch (error) {
    if (!signal.aborted) throw error;
    meta.stopped = true;
  }
  meta.latencyMs = performance.now() - started;
  if (streamError !== null) throw new Error(streamError);
  return meta;
}
