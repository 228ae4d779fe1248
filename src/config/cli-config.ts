/**
 * What the `signalbox models …` commands need to reach a running server's admin API. Read
 * from the environment here because src/config is the only reader of process.env
 * (docs/conventions.md); the direct-database fallback uses `loadConfig()` as the server does.
 */
import { ConfigError } from './config-error.ts';

export interface CliConfig {
  /** The server's base URL without a trailing slash, e.g. `http://127.0.0.1:8787`. */
  serverUrl: string;
  /** Sent as `Authorization: Bearer …` to /admin; null = unset (the server will answer 401). */
  masterKey: string | null;
}

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';

/**
 * Reads `SIGNALBOX_URL` (default `http://127.0.0.1:8787`) and `SIGNALBOX_MASTER_KEY`.
 * @throws ConfigError when `SIGNALBOX_URL` is not an http(s) URL.
 */
export function loadCliConfig(env: Env = process.env): CliConfig {
  const raw = env.SIGNALBOX_URL?.trim() ?? '';
  const serverUrl = raw === '' ? DEFAULT_SERVER_URL : raw;
  let parsed: URL;
  try {
    parsed = new URL(serverUrl);
  } catch {
    throw new ConfigError(`SIGNALBOX_URL must be an http(s) URL, got "${serverUrl}".`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new ConfigError(`SIGNALBOX_URL must be an http(s) URL, got "${serverUrl}".`);
  const key = env.SIGNALBOX_MASTER_KEY?.trim() ?? '';
  return { serverUrl: serverUrl.replace(/\/+$/, ''), masterKey: key === '' ? null : key };
}
