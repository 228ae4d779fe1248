/**
 * The files under src/ that the code reads at run time (catalogue snapshot, emulator recordings,
 * SQL migrations and their journal, provenance notes): everything that is not TypeScript and not
 * test data (`__fixtures__`). The build copies them into dist/ at the same relative paths; the
 * package test checks that the tarball holds each one.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Paths relative to `sourceRoot`, with `/` separators, sorted. */
export function listRuntimeAssets(sourceRoot: string): string[] {
  const assets: string[] = [];
  for (const entry of readdirSync(sourceRoot, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
    const relativePath = path.relative(sourceRoot, path.join(entry.parentPath, entry.name));
    const segments = relativePath.split(path.sep);
    if (segments.includes('__fixtures__')) continue;
    assets.push(segments.join('/'));
  }
  return assets.sort();
}
