import { describe, expect, it } from 'vitest';
import {
  chatBody,
  createFakeAdapter,
  createTestServices,
  ROUTER_MODEL,
  runChat,
} from './testing/index.ts';
import { RequestBody } from './request-context.ts';

describe('validate', () => {
  it.each([
    ['a body that is not an object', [1, 2], null],
    ['no messages', { model: ROUTER_MODEL }, 'messages'],
    [
      'a bad role',
      { model: ROUTER_MODEL, messages: [{ role: 'robot', content: 'x' }] },
      'messages[0].role',
    ],
    ['no model', { messages: [{ role: 'user', content: 'x' }] }, 'model'],
    ['a negative max_tokens', chatBody(ROUTER_MODEL, { max_tokens: -1 }), 'max_tokens'],
  ])(
    'refuses %s with 400 invalid_request naming the field; nothing goes upstream',
    async (_name, body, param) => {
      const openrouter = createFakeAdapter('openrouter');
      const { services, ledger } = createTestServices({ adapters: [openrouter] });
      const { writer } = await runChat(services, body);
      expect(writer.kind).toBe('error');
      expect(writer.failure?.code).toBe('invalid_request');
      expect(writer.failure?.status).toBe(400);
      expect(writer.failure?.param).toBe(param);
      expect(openrouter.calls).toHaveLength(0);
      expect(ledger.settled).toHaveLength(1);
      expect(ledger.settled[0]?.record).toMatchObject({
        status: 'invalid_request',
        httpStatus: 400,
        attempts: [],
        provider: null,
        costNanoUsd: null,
      });
      expect(ledger.settled[0]?.decision).toBeNull();
    },
  );

  it('keeps the model a bad request asked for in its ledger record', async () => {
    const { services, ledger } = createTestServices({
      adapters: [createFakeAdapter('openrouter')],
    });
    await runChat(services, { model: ROUTER_MODEL, stream: true, messages: [] });
    expect(ledger.settled[0]?.record).toMatchObject({ model: ROUTER_MODEL, stream: true });
  });

  it('forwards the client bytes when the request reaches the upstream unchanged', async () => {
    const openrouter = createFakeAdapter('openrouter');
    const { services } = createTestServices({ adapters: [openrouter] });
    const body = chatBody(ROUTER_MODEL);
    const bytes = Buffer.from(JSON.stringify(body));
    await runChat(services, body, { rawBody: bytes });
    expect(openrouter.calls[0]?.options?.rawBody).toBe(bytes);
  });
});

describe('RequestBody', () => {
  it('drops the bytes as soon as the request changes, never otherwise', () => {
    const request = { model: 'a/b', messages: [{ role: 'user' as const, content: 'hi' }] };
    const bytes = Buffer.from(JSON.stringify(request));
    const body = RequestBody.fromClient(request, bytes);
    expect(body.with({ model: 'a/b' })).toBe(body);
    const changed = body.with({ model: 'native' });
    expect(changed.bytes).toBeNull();
    expect(changed.request.model).toBe('native');
    expect(body.request.model).toBe('a/b');
    expect(body.bytes).toBe(bytes);
  });
});
