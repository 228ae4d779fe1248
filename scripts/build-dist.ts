/**
 * `npm run build` (and `prepack`): compiles the package's entry points and everything they
 * import into `dist/` (ESM JavaScript, `.d.ts`, source maps with the sources inlined), then
 * copies the files the code reads at run time — the catalogue snapshot, the emulator's
 * recordings, the SQL migrations — to the same places under `dist/`, because each module finds
 * its assets next to itself (`import.meta.dirname`, `new URL('./…', import.meta.url)`).
 * Development never needs this: the sources run as they are (docs/decisions/0001, 0006).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const sourceRoot = path.join(root, 'src');
const outputRoot = path.join(root, 'dist');

/** Test data lives in `__fixtures__`; everything else that is not TypeScript ships. */
function isRuntimeAsset(relativePath: string): boolean {
  return !relativePath.endsWith('.ts') && !relativePath.split(path.sep).includes('__fixtures__');
}

rmSync(outputRoot, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

let copied = 0;
for (const entry of readdirSync(sourceRoot, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const relativePath = path.relative(sourceRoot, path.join(entry.parentPath, entry.name));
  if (!isRuntimeAsset(relativePath)) continue;
  cpSync(path.join(sourceRoot, relativePath), path.join(outputRoot, relativePath));
  copied += 1;
}
console.log(`dist/: compiled, ${copied} run-time assets copied`);
