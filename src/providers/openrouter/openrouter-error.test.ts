import { describe, expect, it } from 'vitest';
import { readFixture } from '../shared/__fixtures__/upstream-test-server.ts';
import { convertToOpenRouterMessages } from './convert-to-openrouter-messages.ts';
import { mapOpenRouterFinishReason } from './map-openrouter-finish-reason.ts';
import { parseOpenRouterError, readOpenRouterErrorDetails } from './openrouter-error.ts';

const observed = (
  JSON.parse(readFixture('openrouter', 'observed-responses-from-issues.json').toString('utf8')) as {
    entries: { status: number; endpoint: string; body?: unknown }[];
  }
).entries;

describe('parseOpenRouterError', () => {
  it('appends metadata.raw of "Provider returned error" when short, redacting its URL', () => {
    const entry = observed.find((candidate) =>
      candidate.endpoint.includes('upstream provider rate limit'),
    );
    const error = parseOpenRouterError(429, Buffer.from(JSON.stringify(entry?.body)), {
      'retry-after': '2',
    });
    expect(error).toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: 2,
      upstreamStatus: 429,
    });
    expect(error.message).toBe(
      'Upstream: Provider returned error: z-ai/glm-5.3-flash is temporarily rate-limited upstream. Please retry shortly, or add your own key to accumulate your rate limits: ...',
    );
  });

  it('reads a 403 moderation block (metadata shape from the OpenRouter docs) as upstream_content_filtered', () => {
    // No recording of a moderation 403 exists; the metadata follows docs errors-and-debugging.mdx.
    const body = {
      error: {
        code: 403,
        message: 'Input flagged by moderation',
        metadata: {
          reasons: ['harassment'],
          flagged_input: 'abc...xyz',
          provider_name: 'OpenAI',
          model_slug: 'openai/gpt-4o',
        },
      },
    };
    const error = parseOpenRouterError(403, Buffer.from(JSON.stringify(body)), {});
    expect(error).toMatchObject({ code: 'upstream_content_filtered', status: 403 });
    expect(
      parseOpenRouterError(
        403,
        Buffer.from(
          '{"error":{"message":"Only management keys can perform this operation","code":403}}',
        ),
        {},
      ).code,
    ).toBe('upstream_auth_failed');
  });

  it('gives a fixed message for a body that is not JSON or not an error', () => {
    expect(parseOpenRouterError(503, Buffer.from('upstream connect error'), {}).message).toBe(
      'Upstream: HTTP 503',
    );
    expect(readOpenRouterErrorDetails({ choices: [] })).toEqual({});
  });
});

describe('mapOpenRouterFinishReason', () => {
  it('passes the normalised enum through and nulls anything else', () => {
    for (const reason of ['stop', 'length', 'tool_calls', 'content_filter', 'error'] as const) {
      expect(mapOpenRouterFinishReason(reason)).toBe(reason);
    }
    expect(mapOpenRouterFinishReason('completed')).toBeNull();
    expect(mapOpenRouterFinishReason('toString')).toBeNull();
  });
});

describe('convertToOpenRouterMessages', () => {
  it('is the identity: OpenRouter speaks the client dialect', () => {
    const messages = [
      {
        role: 'user' as const,
        content: [{ type: 'text', text: 'Hi', cache_control: { type: 'ephemeral' } }],
      },
    ];
    expect(convertToOpenRouterMessages(messages)).toBe(messages);
  });
});
