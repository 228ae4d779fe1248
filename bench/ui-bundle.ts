/** The dashboard's initial JavaScript and CSS as sent (gzip), for the dashboard benchmarks. */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { defaultDashboardDirectory } from '../src/http/ui/dashboard-directory.ts';

/** Bytes sent (gzip) for what index.html loads before anything else: its module script, preloads, CSS. */
export async function initialBundle(): Promise<{ js: number; css: number; files: string[] }> {
  const directory = defaultDashboardDirectory();
  const html = await readFile(path.join(directory, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/ui\/([^"]+\.(?:js|css))"/g)].map(
    (match) => match[1] ?? '',
  );
  let js = 0;
  let css = 0;
  for (const file of files) {
    // The build precompresses files of 1 KB and more; smaller ones are sent as they are.
    const compressed = path.join(directory, `${file}.gz`);
    const size = existsSync(compressed)
      ? (await stat(compressed)).size
      : (await stat(path.join(directory, file))).size;
    if (file.endsWith('.js')) js += size;
    else css += size;
  }
  return { js, css, files };
}
