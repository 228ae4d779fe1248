// The alert webhook signature: HMAC-SHA256 over `<timestamp>.<body>` (a known vector computed
// independently with `openssl dgst -sha256 -hmac`), refused for another body, secret, signature
// shape, or a timestamp outside the tolerance.
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.ts';

const body = '{"event":"firing"}';
// printf '%s' '1700000000.{"event":"firing"}' | openssl dgst -sha256 -hmac whsec_test
const VECTOR = '7982e6b7a8dce21e34d58b6188fa1635b4fdfcd1cb6560c7347d6d01c7b801bc';

describe('alert webhook signatures', () => {
  it('signs `<timestamp>.<body>` with HMAC-SHA256', () => {
    expect(signWebhook('whsec_test', 1_700_000_000, body)).toBe(`sha256=${VECTOR}`);
  });

  it('verifies a signature and refuses anything else', () => {
    const timestamp = '1700000000';
    const signature = signWebhook('whsec_test', 1_700_000_000, body);
    const base = { secret: 'whsec_test', body, timestamp, signature, nowSeconds: 1_700_000_100 };
    expect(verifyWebhookSignature(base)).toBe(true);
    expect(verifyWebhookSignature({ ...base, body: `${body} ` })).toBe(false);
    expect(verifyWebhookSignature({ ...base, secret: 'whsec_other' })).toBe(false);
    expect(verifyWebhookSignature({ ...base, signature: signature.toUpperCase() })).toBe(false);
    expect(verifyWebhookSignature({ ...base, signature: undefined })).toBe(false);
    expect(verifyWebhookSignature({ ...base, timestamp: '1700000000.5' })).toBe(false);
    expect(verifyWebhookSignature({ ...base, nowSeconds: 1_700_000_301 })).toBe(false);
  });
});
