import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { loadCliConfig } from './cli-config.ts';

describe('loadCliConfig', () => {
  it('defaults to the local server and no key', () => {
    expect(loadCliConfig({})).toEqual({ serverUrl: 'http://127.0.0.1:8787', masterKey: null });
  });

  it('reads SIGNALBOX_URL without its trailing slash and the master key', () => {
    expect(
      loadCliConfig({
        SIGNALBOX_URL: 'https://gateway.example.com/ ',
        SIGNALBOX_MASTER_KEY: 'sb-0123456789abcdef',
      }),
    ).toEqual({ serverUrl: 'https://gateway.example.com', masterKey: 'sb-0123456789abcdef' });
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => loadCliConfig({ SIGNALBOX_URL: 'ftp://example.com' })).toThrow(ConfigError);
    expect(() => loadCliConfig({ SIGNALBOX_URL: 'not a url' })).toThrow(/SIGNALBOX_URL/);
  });
});
