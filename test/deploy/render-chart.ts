/**
 * Renders deploy/helm/signalbox as `helm template` would, with Go's own text/template engine
 * (compiled to WebAssembly, `@evertdespiegeleer/go-template`) — the engine Helm itself runs.
 * The chart uses only the template language's built-ins; anything Helm adds on top (Sprig,
 * `include`, `toYaml`, …) is unknown to this engine and fails the render with "function … not
 * defined", so the chart cannot drift into constructs the test does not check
 * (docs/decisions/0008-package-and-deployment-build.md). What Helm does around the engine is
 * reproduced here: values files coalesced (maps merged, `null` deletes a key), templates
 * `templates/_*.tpl` shared by every file, the built-in objects `.Values`, `.Release` and
 * `.Chart`, and empty documents dropped. The engine runs with `missingkey=error`, stricter than
 * Helm's default, so a key the chart reads must exist in values.yaml.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as renderGoTemplate } from '@evertdespiegeleer/go-template';
import { parse as parseYaml, parseAllDocuments } from 'yaml';

export const chartDirectory = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  'deploy',
  'helm',
  'signalbox',
);

export type Values = Record<string, unknown>;

/** A rendered object: its template file and the parsed manifest. */
export interface RenderedObject {
  template: string;
  manifest: { apiVersion: string; kind: string; metadata: { name: string } } & Values;
}

function isMap(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Helm's coalescing of values: `override` wins; maps merge key by key; `null` removes a key. */
export function coalesceValues(base: Values, override: Values): Values {
  const result = new Map(Object.entries(base));
  for (const [key, value] of Object.entries(override)) {
    const current = result.get(key);
    if (value === null) result.delete(key);
    else if (isMap(value) && isMap(current)) result.set(key, coalesceValues(current, value));
    else result.set(key, value);
  }
  return Object.fromEntries(result);
}

/**
 * Renders every manifest template of the chart with values.yaml coalesced with `overrides`.
 * @throws Error naming the template when Go's engine rejects it or its output is not YAML.
 */
export async function renderChart(
  overrides: Values = {},
  release = { name: 'signalbox', namespace: 'default' },
): Promise<RenderedObject[]> {
  const read = (file: string) => readFile(path.join(chartDirectory, file), 'utf8');
  const chart = parseYaml(await read('Chart.yaml')) as Values;
  const values = coalesceValues(parseYaml(await read('values.yaml')) as Values, overrides);
  const files = (await readdir(path.join(chartDirectory, 'templates'))).sort();
  const helpers = await Promise.all(
    files.filter((file) => file.startsWith('_')).map((file) => read(`templates/${file}`)),
  );
  const data = {
    Values: values,
    Release: {
      Name: release.name,
      Namespace: release.namespace,
      Service: 'Helm',
      IsInstall: true,
      IsUpgrade: false,
      Revision: 1,
    },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  };
  const objects: RenderedObject[] = [];
  for (const file of files.filter((name) => /^[^_].*\.ya?ml$/.test(name))) {
    let text: string;
    try {
      text = await renderGoTemplate(
        `${helpers.join('\n')}${await read(`templates/${file}`)}`,
        data,
      );
    } catch (error) {
      throw new Error(
        `templates/${file}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    for (const document of parseAllDocuments(text)) {
      if (document.errors.length > 0)
        throw new Error(
          `templates/${file} renders invalid YAML: ${document.errors[0]?.message ?? ''}\n${text}`,
        );
      const manifest = document.toJSON() as RenderedObject['manifest'] | null;
      if (manifest !== null) objects.push({ template: file, manifest });
    }
  }
  return objects;
}
