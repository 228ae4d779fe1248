/** The dashboard's initial JavaScript and CSS as sent (gzip), for the dashboard benchmarks. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { defaultDashboardDirectory } from '../src/http/ui/dashboard-directory.ts';

const WEB = path.resolve(import.meta.dirname, '../web');

/** Newest modification time (ms) of the dashboard's sources: web/src, index.html, the config. */
async function newestSource(): Promise<number> {
  const sources = (await readdir(path.join(WEB, 'src'), { recursive: true })).map((file) =>
    path.join(WEB, 'src', file),
  );
  sources.push(path.join(WEB, 'index.html'), path.join(WEB, 'vite.config.ts'));
  const times = await Promise.all(sources.map(async (file) => (await stat(file)).mtimeMs));
  return Math.max(...times);
}

/**
 * Builds the dashboard (`npm run build:web`) when web/dist is missing or older than its
 * sources, so the benchmarks never measure (or wait for elements missing from) a stale build.
 */
export async function ensureDashboardBuilt(): Promise<void> {
  const index = path.join(defaultDashboardDirectory(), 'index.html');
  if (existsSync(index) && (await stat(index)).mtimeMs >= (await newestSource())) return;
  console.log('web/dist is missing or older than web/src: building the dashboard');
  execFileSync('npm', ['run', 'build:web'], {
    cwd: path.resolve(WEB, '..'),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/**
 * Bytes sent (gzip) for what index.html loads before anything else: its module script, preloads,
 * CSS. Builds the dashboard first when the build is stale (ensureDashboardBuilt).
 */
export async function initialBundle(): Promise<{ js: number; css: number; files: string[] }> {
  await ensureDashboardBuilt();
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
