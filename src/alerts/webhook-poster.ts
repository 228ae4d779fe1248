/**
 * The HTTP client of alert webhooks: one undici Agent whose connections go through the SSRF
 * guard (src/security/ssrf-guard.ts; SIGNALBOX_ALLOWED_PRIVATE_HOSTS applies), so a host name
 * that resolves to a private or metadata address is refused at connect time. Redirects are not
 * followed; the answer's body is discarded.
 */
import { Agent, request } from 'undici';
import { createGuardedConnector } from '../security/ssrf-guard.ts';
import type { WebhookPoster } from './alert-dispatcher.ts';

export interface WebhookClient {
  post: WebhookPoster;
  close(): Promise<void>;
}

/** @param timeoutMs connect, headers and body time-outs, each. */
export function createWebhookClient(
  allowlist: readonly string[],
  timeoutMs: number,
): WebhookClient {
  const agent = new Agent({
    connect: createGuardedConnector(allowlist, { timeout: timeoutMs }),
    keepAliveTimeout: 10_000,
  });
  return {
    async post(url, body, headers) {
      const response = await request(url, {
        method: 'POST',
        body,
        headers,
        dispatcher: agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await response.body.dump();
      return response.statusCode;
    },
    close: () => agent.close().catch(() => undefined),
  };
}
