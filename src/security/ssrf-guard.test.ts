import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkOutboundUrl,
  createGuardedConnector,
  isAllowlisted,
  isForbiddenAddress,
  type LookupFunction,
} from './ssrf-guard.ts';

describe('isForbiddenAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '169.254.0.1',
    '100.64.0.1',
    '100.127.255.255',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fd00:ec2::254',
    'fc00::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '64:ff9b::7f00:1',
    '64:ff9b::10.0.0.1',
    '2002:7f00:1::',
    '2002:a9fe:a9fe::1',
    '[::1]',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('allows %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

describe('checkOutboundUrl', () => {
  it.each([
    'http://2130706433/',
    'http://0x7f.1/',
    'http://017700000001/',
    'http://127.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00:ec2::254]/',
    'http://[64:ff9b::a9fe:a9fe]/',
    'http://localhost:11434/v1',
    'http://api.localhost/',
    'http://0/',
  ])('rejects %s', (url) => {
    const result = checkOutboundUrl(url, []);
    expect(result.ok).toBe(false);
  });

  it('rejects non-http schemes, credentials and garbage', () => {
    expect(checkOutboundUrl('file:///etc/passwd', []).ok).toBe(false);
    expect(checkOutboundUrl('https://user:secret@api.example.com/', []).ok).toBe(false);
    expect(checkOutboundUrl('not a url', []).ok).toBe(false);
  });

  it('accepts public hosts and allowlisted private ones', () => {
    expect(checkOutboundUrl('https://api.groq.com/openai/v1', []).ok).toBe(true);
    expect(checkOutboundUrl('http://8.8.8.8/', []).ok).toBe(true);
    expect(checkOutboundUrl('http://localhost:11434/v1', ['localhost']).ok).toBe(true);
    expect(checkOutboundUrl('http://2130706433/', ['127.0.0.0/8']).ok).toBe(true);
    expect(checkOutboundUrl('http://[::1]:8000/', ['::1']).ok).toBe(true);
  });
});

describe('isAllowlisted', () => {
  it('matches host names exactly and addresses by CIDR', () => {
    expect(isAllowlisted('Ollama.Local', ['ollama.local'])).toBe(true);
    expect(isAllowlisted('evil.ollama.local', ['ollama.local'])).toBe(false);
    expect(isAllowlisted('10.2.3.4', ['10.0.0.0/8'])).toBe(true);
    expect(isAllowlisted('11.2.3.4', ['10.0.0.0/8'])).toBe(false);
    expect(isAllowlisted('fd12::1', ['fd00::/8'])).toBe(true);
    expect(isAllowlisted('10.2.3.4', ['10.0.0.0/99', 'fd00::/8'])).toBe(false);
  });
});

describe('createGuardedConnector (connect time, DNS rebinding)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startServer(): Promise<number> {
    const server: Server = createServer((_incoming, response) => {
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => {
            resolve();
          });
        }),
    );
    return (server.address() as AddressInfo).port;
  }

  /** A resolver that answers every name with 127.0.0.1, as a rebinding DNS server would. */
  const rebindingLookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all === true) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  };

  function agent(allowlist: readonly string[]): Agent {
    const dispatcher = new Agent({
      connect: createGuardedConnector(allowlist, { timeout: 2_000, lookup: rebindingLookup }),
    });
    cleanups.push(() => dispatcher.close());
    return dispatcher;
  }

  async function failure(url: string, dispatcher: Agent): Promise<unknown> {
    try {
      const response = await request(url, { dispatcher });
      await response.body.text();
    } catch (error) {
      return error;
    }
    throw new Error('expected the connection to be refused');
  }

  it('refuses a host name that resolves to a loopback address', async () => {
    const port = await startServer();
    const error = await failure(`http://rebind.example.com:${port}/`, agent([]));
    expect(error).toMatchObject({ code: 'ERR_SIGNALBOX_FORBIDDEN_ADDRESS' });
  });

  it('refuses an IP-literal loopback host without resolving it', async () => {
    const port = await startServer();
    const error = await failure(`http://127.0.0.1:${port}/`, agent([]));
    expect(error).toMatchObject({ code: 'ERR_SIGNALBOX_FORBIDDEN_ADDRESS' });
  });

  it('connects when the host name, or the resolved address range, is allowlisted', async () => {
    const port = await startServer();
    const byName = await request(`http://rebind.example.com:${port}/`, {
      dispatcher: agent(['rebind.example.com']),
    });
    expect(await byName.body.text()).toBe('ok');
    const byRange = await request(`http://other.example.com:${port}/`, {
      dispatcher: agent(['127.0.0.0/8']),
    });
    expect(await byRange.body.text()).toBe('ok');
    const literal = await request(`http://127.0.0.1:${port}/`, {
      dispatcher: agent(['127.0.0.1']),
    });
    expect(await literal.body.text()).toBe('ok');
  });
});
