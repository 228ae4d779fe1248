/**
 * The configuration file (`SIGNALBOX_CONFIG`: a `.yaml`, `.yml` or `.json` path), validated at
 * start-up. Errors name the offending key (`providers[1].baseUrl: …`). Secrets may be given as
 * `env:NAME` references so that no key sits in the file.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { z } from 'zod';
import { ConfigError } from './config-error.ts';
import {
  builtInProviders,
  OPENROUTER_PROVIDER_ID,
  type DirectProviderConfig,
} from './provider-config.ts';

/** Raised for a bad configuration file; a ConfigError, so the CLI reports it the same way. */
export class ConfigFileError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigFileError';
  }
}

const httpUrl = z
  .string()
  .refine((value) => /^https?:\/\/[^\s]+$/.test(value), 'must be an http(s) URL')
  .transform((value) => value.replace(/\/+$/, ''));

const providerEntry = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lowercase letters, digits, "-" or "_"'),
  type: z.enum(['openrouter', 'openai', 'anthropic', 'gemini', 'openai-compatible']).optional(),
  apiKey: z.string().min(1).optional(),
  baseUrl: httpUrl.optional(),
  models: z.record(z.string().min(1), z.string().min(1)).optional(),
  catalogue: z.boolean().optional(),
  headers: z.record(z.string().min(1), z.string()).optional(),
});

const fileSchema = z.strictObject({
  providers: z.array(providerEntry).optional(),
  allowedPrivateHosts: z.array(z.string().min(1)).optional(),
});

export interface ConfigFile {
  providers: DirectProviderConfig[];
  allowedPrivateHosts: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path)
    out +=
      typeof segment === 'number' ? `[${segment}]` : `${out === '' ? '' : '.'}${String(segment)}`;
  return out;
}

/** `env:NAME` → the variable's value. @throws ConfigFileError when it is unset. */
export function resolveSecret(value: string, key: string, env: Env): string {
  if (!value.startsWith('env:')) return value;
  const name = value.slice(4);
  const resolved = env[name];
  if (resolved === undefined || resolved === '') {
    throw new ConfigFileError(`${key} refers to env:${name}, which is not set.`);
  }
  return resolved;
}

function toProvider(
  entry: z.infer<typeof providerEntry>,
  index: number,
  env: Env,
): DirectProviderConfig {
  const key = `providers[${index}]`;
  if (entry.id === OPENROUTER_PROVIDER_ID) {
    throw new ConfigFileError(
      `${key}.id: "openrouter" is configured with OPENROUTER_API_KEY, not in the file.`,
    );
  }
  const builtIn = builtInProviders.find((provider) => provider.id === entry.id);
  const kind = entry.type ?? builtIn?.kind;
  if (kind === undefined)
    throw new ConfigFileError(`${key}.type: required for the custom provider "${entry.id}".`);
  const baseUrl = entry.baseUrl ?? builtIn?.baseUrl;
  if (baseUrl === undefined)
    throw new ConfigFileError(`${key}.baseUrl: required for the custom provider "${entry.id}".`);
  return {
    id: entry.id,
    kind,
    apiKey: entry.apiKey === undefined ? null : resolveSecret(entry.apiKey, `${key}.apiKey`, env),
    baseUrl,
    models: entry.models ?? {},
    serveCatalogue: entry.catalogue ?? builtIn !== undefined,
    headers: Object.fromEntries(
      Object.entries(entry.headers ?? {}).map(([name, value]) => [
        name,
        resolveSecret(value, `${key}.headers.${name}`, env),
      ]),
    ),
  };
}

/**
 * The YAML parser, loaded on first use: every importer of the configuration (the provider
 * adapters through `signalbox/providers` too) would otherwise load its 70 modules at start-up.
 */
function loadYaml(): typeof Yaml {
  return createRequire(import.meta.url)('yaml') as typeof Yaml;
}

/**
 * Reads and validates the file at `path`.
 * @throws ConfigFileError naming the file and the offending key.
 */
export function loadConfigFile(path: string, env: Env): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigFileError(`SIGNALBOX_CONFIG: cannot read "${path}".`);
  }
  let raw: unknown;
  try {
    raw = path.endsWith('.json') ? JSON.parse(text) : loadYaml().parse(text);
  } catch (error) {
    throw new ConfigFileError(
      `${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'} (${error instanceof Error ? (error.message.split('\n')[0] ?? '') : ''}).`,
    );
  }
  return parseConfigDocument(raw ?? {}, path, env);
}

/**
 * Validates a configuration document (the parsed file, or the library's options object) with
 * the file's rules. `label` prefixes every message (the file path, or the caller's name).
 * @throws ConfigFileError naming the offending key.
 */
export function parseConfigDocument(
  raw: unknown,
  label: string,
  env: Env = process.env,
): ConfigFile {
  const path = label;
  const result = fileSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue ? pathOf(issue.path) : '';
    throw new ConfigFileError(
      `${path}: ${key === '' ? '' : `${key}: `}${issue?.message ?? 'invalid'}.`,
    );
  }
  const ids = new Set<string>();
  const providers = (result.data.providers ?? []).map((entry, index) => {
    if (ids.has(entry.id))
      throw new ConfigFileError(`${path}: providers[${index}].id: "${entry.id}" appears twice.`);
    ids.add(entry.id);
    try {
      return toProvider(entry, index, env);
    } catch (error) {
      throw error instanceof ConfigFileError
        ? new ConfigFileError(`${path}: ${error.message}`)
        : error;
    }
  });
  return { providers, allowedPrivateHosts: result.data.allowedPrivateHosts ?? [] };
}
