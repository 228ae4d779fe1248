/**
 * `npm run build` (run by `prepack`): compiles the package's entry points and everything they
 * import into `dist/` (ESM JavaScript, `.d.ts`, source maps with the sources inlined) with
 * tsconfig.build.json, then copies the files the code reads at run time to the same places under
 * `dist/`, because each module finds its assets next to itself (`import.meta.dirname`,
 * `new URL('./…', import.meta.url)`). Development never needs this: the sources run as they are
 * (docs/decisions/0001 and 0008). Progress goes to stderr so `npm pack --json` stays parseable.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { listRuntimeAssets } from './runtime-assets.ts';

const root = path.resolve(import.meta.dirname, '..');
const sourceRoot = path.join(root, 'src');
const outputRoot = path.join(root, 'dist');

rmSync(outputRoot, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
  stdio: ['ignore', 2, 2], // tsc reports on stdout; keep stdout for `npm pack --json`
});
const assets = listRuntimeAssets(sourceRoot);
for (const asset of assets) cpSync(path.join(sourceRoot, asset), path.join(outputRoot, asset));
process.stderr.write(`dist/: compiled; ${assets.length} run-time assets copied\n`);
