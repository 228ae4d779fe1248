/** Test helper: the facts of an OpenAI-format SSE body (content, tool calls, finish, usage, errors). */

export interface StreamSummary {
  content: string;
  reasoning: string;
  toolCalls: { id: string | undefined; name: string; arguments: string }[];
  finishReason: string | null;
  usage: unknown;
  errors: unknown[];
  done: boolean;
  comments: number;
}

interface Delta {
  content?: string | null;
  reasoning?: string | null;
  tool_calls?: { index: number; id?: string; function?: { name?: string; arguments?: string } }[];
}

interface Chunk {
  choices?: { delta?: Delta; finish_reason?: string | null }[];
  usage?: unknown;
  error?: unknown;
}

export function summariseSse(text: string): StreamSummary {
  const summary: StreamSummary = {
    content: '',
    reasoning: '',
    toolCalls: [],
    finishReason: null,
    usage: null,
    errors: [],
    done: false,
    comments: 0,
  };
  for (const block of text.split(/\r?\n\r?\n/)) {
    const lines = block.split(/\r?\n/);
    const data = lines
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    summary.comments += lines.filter((line) => line.startsWith(':')).length;
    if (data === '') continue;
    if (data === '[DONE]') {
      summary.done = true;
      continue;
    }
    const chunk = JSON.parse(data) as Chunk;
    if (chunk.error !== undefined) summary.errors.push(chunk.error);
    if (chunk.usage !== undefined && chunk.usage !== null) summary.usage = chunk.usage;
    for (const choice of chunk.choices ?? []) {
      summary.content += choice.delta?.content ?? '';
      summary.reasoning += choice.delta?.reasoning ?? '';
      if (choice.finish_reason !== null && choice.finish_reason !== undefined)
        summary.finishReason = choice.finish_reason;
      for (const call of choice.delta?.tool_calls ?? []) {
        const entry = (summary.toolCalls[call.index] ??= {
          id: undefined,
          name: '',
          arguments: '',
        });
        if (call.id !== undefined) entry.id = call.id;
        entry.name += call.function?.name ?? '';
        entry.arguments += call.function?.arguments ?? '';
      }
    }
  }
  return summary;
}
