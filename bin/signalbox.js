#!/usr/bin/env node
// The `signalbox` command. Plain JavaScript, so that any Node can read it and say what it needs.
// In a clone of the repository it runs the TypeScript sources (type stripping, ADR 0001); in the
// published package, which ships no sources, the compiled dist/ (ADR 0008). Sources come first
// so that a dist/ left over from an earlier `npm pack` never runs stale code in development.
import { existsSync } from 'node:fs';
import module from 'node:module';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
// undici 8 (the upstream client) needs 22.19; 22.18+ also strips types without a flag.
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(
    `signalbox needs Node.js 22.19 or newer (24 LTS recommended); this is Node ${process.version}. Install a newer Node from https://nodejs.org and run it again.\n`,
  );
  process.exit(1);
}

// Node's on-disk compile cache (NODE_COMPILE_CACHE's directory, else <tmpdir>/node-compile-cache)
// keeps each module's compiled code, and for the TypeScript sources their stripped text too, keyed
// by the source's content: a second start skips the type stripping and most of the compiling,
// about half of the start-up's CPU. Where the directory cannot be written it simply stays off.
module.enableCompileCache();

const sources = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(sources) && process.features.typescript) {
  await import(sources.href);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  process.stderr.write(
    `signalbox: Node ${process.version} does not strip TypeScript types here and there is no dist/; run \`npm run build\` first, or run without --no-experimental-strip-types.\n`,
  );
  process.exit(1);
}
