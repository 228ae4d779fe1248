/**
 * `createSignalbox` in-process. The first test runs the README's example exactly as written
 * (extracted from README.md, in a child process); the second is the same example inline, apart
 * from the temporary directory, with assertions; the last shows the same routing, fallback and
 * ledger as the server.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, createSignalbox, type Emulator } from 'signalbox';

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-library-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const root = path.resolve(import.meta.dirname, '../..');

describe('createSignalbox', () => {
  it('runs the README example as written', async () => {
    const readme = await readFile(path.join(root, 'README.md'), 'utf8');
    const library = readme.slice(readme.indexOf('## Library'));
    const example = /```ts\n([\s\S]*?)```/.exec(library)?.[1];
    expect(example).toContain("import { createSignalbox } from 'signalbox';");
    // Inside the package, so `import … from 'signalbox'` resolves to it (self-reference), to its
    // sources through the `signalbox-source` export condition (dist/ may not be built: the
    // package test checks the built package); run from the temporary directory, where the
    // example's relative data directory lands.
    const scratch = await mkdtemp(path.join(root, '.tmp-readme-'));
    try {
      await writeFile(path.join(scratch, 'example.ts'), example ?? '');
      const child = spawn(
        process.execPath,
        ['--conditions=signalbox-source', path.join(scratch, 'example.ts')],
        {
          cwd: dataDir,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(output).toMatch(/^openrouter \S/);
      expect(output).toContain("'openai/gpt-4o', 'openrouter'");
      expect(code).toBe(0);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it('runs the README example', async () => {
    // --- README example (only the data directory differs) ---
    // No OpenRouter key: demo mode. The ledger is kept in ./.signalbox-library (PGlite).
    const signalbox = await createSignalbox({
      storage: { dataDir: path.join(dataDir, '.signalbox-inline') },
    });

    const { completion, provider } = await signalbox.chat({
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: 'Hello!' }],
    });
    console.log(provider, completion.choices[0]?.message.content);

    for await (const part of signalbox.chatStream({
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: 'Stream, please.' }],
    })) {
      if (part.type === 'text-delta') process.stdout.write(part.text);
    }

    const { data } = await signalbox.requests({ limit: 10 });
    console.log(data.map((row) => [row.model, row.provider, row.costNanoUsd]));
    await signalbox.close();
    // --- end of the README example ---

    expect(signalbox.mode).toBe('demo');
    expect(provider).toBe('openrouter');
    expect(completion.choices[0]?.message.content).toMatch(/\S/);
    expect(data).toHaveLength(2);
    expect(data.every((row) => row.status === 'success' && row.costSource === 'provider')).toBe(
      true,
    );
    expect(data.map((row) => row.stream).sort()).toEqual([false, true]);
  });

  it('explains, routes signalbox/auto and caps the cost in-process', async () => {
    const signalbox = await createSignalbox(); // no storage: built-in policies only
    try {
      const request = {
        model: 'signalbox/auto',
        messages: [{ role: 'user' as const, content: 'Hello!' }],
        max_tokens: 200,
      };
      const decision = signalbox.explain(request);
      expect(decision.policy).toEqual({ name: 'auto', version: 0, variant: null });
      expect(decision.selected_model).not.toBeNull();
      const { route, provider } = await signalbox.chat(request);
      expect(route).toBe(
        `policy=auto@0; model=${decision.selected_model ?? ''}; provider=${decision.selected_provider ?? ''}`,
      );
      expect(provider).toBe(decision.selected_provider);
      const capped = await signalbox
        .chat({ ...request, model: 'openai/gpt-4o', max_tokens: 10_000 }, { maxCostUsd: 0.001 })
        .catch((error: unknown) => error);
      expect(capped).toMatchObject({ code: 'cost_limit_exceeded' });
      expect(
        signalbox.explain({ ...request, model: 'openai/gpt-4o' }, { maxCostUsd: 0.000001 }).error
          ?.code,
      ).toBe('cost_limit_exceeded');
    } finally {
      await signalbox.close();
    }
  });

  describe('with a direct provider', () => {
    let emulator: Emulator;
    let origin: string;

    beforeAll(async () => {
      emulator = createEmulator();
      origin = await emulator.listen({ port: 0 });
    });

    afterAll(async () => {
      await emulator.close();
    });

    it('routes to it, falls back to OpenRouter before the first byte, and keeps the ledger', async () => {
      const signalbox = await createSignalbox({
        openrouter: { apiKey: 'sk-or-v1-library-routing-0000000', baseUrl: `${origin}/api/v1` },
        providers: [{ id: 'anthropic', apiKey: 'sk-ant-library', baseUrl: origin }],
        allowedPrivateHosts: ['127.0.0.1'],
        storage: { dataDir: path.join(dataDir, 'routing') },
      });
      try {
        const direct = await signalbox.chat({
          model: 'anthropic/claude-sonnet-4.5',
          messages: [{ role: 'user', content: 'Hi' }],
        });
        expect(direct.provider).toBe('anthropic');

        await fetch(`${origin}/__emulator/faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ match: { model: 'claude-sonnet-4-5' }, status: 503, times: 1 }),
        });
        const parts = [];
        for await (const part of signalbox.chatStream({
          model: 'anthropic/claude-sonnet-4.5',
          messages: [{ role: 'user', content: 'Hi again' }],
        })) {
          parts.push(part);
        }
        expect(parts[0]).toMatchObject({ type: 'metadata' });
        expect(parts.some((part) => part.type === 'text-delta')).toBe(true);
        expect(parts.some((part) => part.type === 'usage')).toBe(true);

        const { data } = await signalbox.requests();
        const streamed = data.find((row) => row.stream);
        expect(streamed?.attempts.map((attempt) => [attempt.provider, attempt.status])).toEqual([
          ['anthropic', 'upstream_unavailable'],
          ['openrouter', 'success'],
        ]);
        expect(streamed?.provider).toBe('openrouter');
      } finally {
        await signalbox.close();
      }
    });
  });
});
