/**
 * The published package, as a user gets it: `npm pack` (its `prepack` builds dist/), the tarball
 * installed into a fresh project offline from npm's cache, then used from JavaScript (`.mjs`),
 * from type-checked TypeScript and from the command line — all on this repository's pinned Node
 * (`process.execPath`), none of it reaching into the repository's sources.
 */
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRuntimeAssets } from '../../scripts/runtime-assets.ts';
import {
  installConsumer,
  packRepository,
  repositoryRoot,
  run,
  startServe,
  type PackedPackage,
} from './consumer-project.ts';

const fixtures = path.join(import.meta.dirname, 'consumer');
let consumer: string;
let packed: PackedPackage;

beforeAll(async () => {
  const started = performance.now();
  consumer = await mkdtemp(path.join(tmpdir(), 'signalbox-package-'));
  packed = await packRepository(consumer);
  await installConsumer(consumer, packed);
  await Promise.all([
    copyFile(path.join(fixtures, 'chat.js'), path.join(consumer, 'chat.mjs')),
    copyFile(
      path.join(fixtures, 'list-loaded-modules.js'),
      path.join(consumer, 'list-loaded-modules.mjs'),
    ),
    copyFile(path.join(fixtures, 'consumer.ts'), path.join(consumer, 'consumer.ts')),
    copyFile(path.join(fixtures, 'tsconfig.json'), path.join(consumer, 'tsconfig.json')),
  ]);
  console.log(
    `packed ${packed.filename}: ${packed.entryCount} files, ${packed.size} bytes ` +
      `(${packed.unpackedSize} unpacked); pack + offline install took ${Math.round(performance.now() - started)} ms`,
  );
}, 300_000);

afterAll(async () => {
  await rm(consumer, { recursive: true, force: true });
});

const node = (args: readonly string[], env?: NodeJS.ProcessEnv) =>
  run(process.execPath, args, { cwd: consumer, ...(env ? { env } : {}) });

describe('the tarball', () => {
  it('holds the compiled code, its run-time assets, the bin and the docs — no sources, tests or tooling', async () => {
    const files = packed.files.map((file) => file.path);
    const allowed =
      /^(package\.json|README\.md|LICENSE|bin\/signalbox\.js|dist\/.+|web\/dist\/.+|docs\/.+)$/;
    expect(files.filter((file) => !allowed.test(file))).toEqual([]);
    expect(
      files.filter((file) => /\.test\.|__fixtures__|test-helper|test-client/.test(file)),
    ).toEqual([]);
    for (const asset of listRuntimeAssets(path.join(repositoryRoot, 'src')))
      expect(files).toContain(`dist/${asset}`);
    // The dashboard's build, served at /ui/.
    expect(files).toContain('web/dist/index.html');

    const manifest = JSON.parse(
      await readFile(path.join(consumer, 'node_modules', 'signalbox', 'package.json'), 'utf8'),
    ) as { exports: Record<string, string | Record<string, string>> };
    const targets = Object.values(manifest.exports).flatMap((target) =>
      typeof target === 'string'
        ? [target]
        : [target.types ?? 'missing types', target.default ?? 'missing default'],
    );
    for (const target of targets) expect(files).toContain(target.replace(/^\.\//, ''));
  });
});

// Each check spawns Node, npm or tsc; on a busy two-core machine that takes a while.
describe('the installed package', { timeout: 180_000 }, () => {
  it.concurrent(
    'imports from .mjs and chats in demo mode and against signalbox/emulator',
    async () => {
      const result = await node(['chat.mjs']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const output = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(output).toMatchObject({ mode: 'demo', provider: 'openrouter', upstreamRequests: 1 });
      expect(output.content).toMatch(/\S/);
      expect(output.streamed).toMatch(/\S/);
      expect(output.direct).toMatch(/\S/);
    },
  );

  it.concurrent(
    'type-checks a TypeScript consumer with nodenext and no extra flags or @types, which then runs',
    async () => {
      const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
      const check = await node([tsc, '-p', 'tsconfig.json']);
      expect(check.stdout).toBe('');
      expect(check.code).toBe(0);

      const result = await node(['consumer.ts']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({
        parts: expect.arrayContaining(['metadata', 'text-delta', 'finish']) as unknown,
        adapter: 'openrouter',
        server: 'function',
      });
    },
  );

  it.concurrent('loads no database, HTTP server or emulator for signalbox/providers', async () => {
    const result = await node(['list-loaded-modules.mjs', 'signalbox/providers']);
    expect(result.code).toBe(0);
    const loaded = JSON.parse(result.stdout) as string[];
    const packages = new Set(
      loaded.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []),
    );
    for (const heavy of ['@electric-sql/pglite', 'pg', 'drizzle-orm', 'fastify', 'pino'])
      expect(packages).not.toContain(heavy);
    const ownModules = loaded.filter((url) => url.includes('/node_modules/signalbox/dist/'));
    expect(ownModules.some((url) => url.endsWith('/dist/providers/public.js'))).toBe(true);
    expect(
      ownModules.filter((url) => /\/dist\/(storage|http|emulator|gateway|usage)\//.test(url)),
    ).toEqual([]);
  });

  it.concurrent('runs `npx signalbox --help`', async () => {
    const result = await run('npx', ['--offline', 'signalbox', '--help'], { cwd: consumer });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: signalbox <command>/);
  });

  it.concurrent(
    'serves in demo mode with `npx signalbox serve`, ready on /health/ready',
    async () => {
      const server = await startServe(consumer, path.join(consumer, 'data'));
      try {
        const response = await fetch(`${server.url}/health/ready`);
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ status: 'ready', mode: 'demo' });
        const dashboard = await fetch(`${server.url}/ui/`);
        expect(dashboard.status).toBe(200);
        expect(await dashboard.text()).toContain('<div id="root">');
      } finally {
        await server.stop(); // throws unless the server exits on SIGTERM
      }
    },
  );

  it.concurrent('refuses a Node older than 22.19 with one line saying what to do', async () => {
    // The bin reads process.versions.node; an older Node is simulated by redefining it first.
    const pretend =
      "data:text/javascript,Object.defineProperty(process.versions,'node',{value:'20.19.0'});Object.defineProperty(process,'version',{value:'v20.19.0'})";
    const bin = path.join(consumer, 'node_modules', 'signalbox', 'bin', 'signalbox.js');
    const result = await node(['--import', pretend, bin, '--help']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^signalbox needs Node\.js 22\.19 or newer .*v20\.19\.0.*\n$/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
