/**
 * Finds the recorded interaction that answers a received chat request: its JSON body must
 * deep-equal a recorded `request.parsed_body` (key order ignored). Interactions that share a
 * body (e.g. the three 429s of test_openrouter_errors_raised.yaml) answer in order, cycling.
 */
import { deepEqualJson } from './deep-equal-json.ts';
import {
  loadRecordedInteractions,
  splitSseEvents,
  type RecordedInteraction,
} from './recorded-interactions.ts';
import { recordedSseScript, type SseScript } from './sse-script.ts';
import type { Usage } from '../contracts/chat.ts';

/** A recorded interaction ready to send. */
export interface ReplayableInteraction {
  interaction: RecordedInteraction;
  /** For streams: the recorded events as an SSE script; null for JSON answers. */
  script: SseScript | null;
  /** The usage the body carries (for streams, the last chunk with `usage`), or null. */
  usage: Usage | null;
  /** What /generation reports about it. */
  summary: {
    created: number;
    model: string;
    providerName: string | null;
    finishReason: string | null;
  };
}

interface AnswerFields {
  created?: number;
  model?: string;
  provider?: string;
  choices?: { finish_reason?: string | null }[];
  usage?: Usage | null;
}

interface InteractionGroup {
  requestBody: unknown;
  members: ReplayableInteraction[];
  next: number;
}

export interface RecordingMatcher {
  /** The interaction to replay for this body, or null when none matches. Advances the group's cycle. */
  match(requestBody: unknown): ReplayableInteraction | null;
}

function toReplayable(interaction: RecordedInteraction): ReplayableInteraction {
  if (interaction.stream) {
    const script = recordedSseScript(splitSseEvents(interaction.bodyText));
    const { created, model, provider } = script.header;
    const finishReasons = [...interaction.bodyText.matchAll(/"finish_reason":"([a-z_]+)"/g)];
    const finishReason = finishReasons.at(-1)?.[1] ?? null;
    return {
      interaction,
      script,
      usage: script.usageAfter(0),
      summary: { created, model, providerName: provider ?? null, finishReason },
    };
  }
  const body = (JSON.parse(interaction.bodyText) ?? {}) as AnswerFields;
  const summary = {
    created: body.created ?? 0,
    model: body.model ?? modelOf(interaction.requestBody),
    providerName: body.provider ?? null,
    finishReason: body.choices?.[0]?.finish_reason ?? null,
  };
  return { interaction, script: null, usage: body.usage ?? null, summary };
}

function modelOf(body: unknown): string {
  const model = (body as { model?: unknown } | null)?.model;
  return typeof model === 'string' ? model : '';
}

function buildIndex(): Map<string, InteractionGroup[]> {
  const index = new Map<string, InteractionGroup[]>();
  for (const interaction of loadRecordedInteractions()) {
    const model = modelOf(interaction.requestBody);
    let groups = index.get(model);
    if (groups === undefined) {
      groups = [];
      index.set(model, groups);
    }
    const replayable = toReplayable(interaction);
    const group = groups.find((candidate) =>
      deepEqualJson(candidate.requestBody, interaction.requestBody),
    );
    if (group === undefined)
      groups.push({ requestBody: interaction.requestBody, members: [replayable], next: 0 });
    else group.members.push(replayable);
  }
  return index;
}

/**
 * A matcher over the shipped recordings, indexed by `model` so most requests cost one Map lookup.
 * The cassettes are parsed at the first `match` call, not before.
 */
export function createRecordingMatcher(): RecordingMatcher {
  let index: Map<string, InteractionGroup[]> | undefined;
  return {
    match(requestBody) {
      index ??= buildIndex();
      const groups = index.get(modelOf(requestBody));
      if (groups === undefined) return null;
      const group = groups.find((candidate) => deepEqualJson(candidate.requestBody, requestBody));
      if (group === undefined) return null;
      const member = group.members[group.next % group.members.length] ?? null;
      group.next += 1;
      return member;
    },
  };
}
