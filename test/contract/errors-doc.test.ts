import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../src/contracts/errors.ts';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const rows = [
  ...doc.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|\s*([a-z_]+)\s*\|\s*(yes|no)\s*\|/gm),
].map((match) => ({
  code: match[1],
  status: Number(match[2]),
  type: match[3],
  retryable: match[4] === 'yes',
}));

describe('docs/errors.md', () => {
  it('lists exactly the codes the code defines, with the same status, type and retryability', () => {
    const fromCode = Object.entries(errorCodes)
      .map(([code, spec]) => ({
        code,
        status: spec.status,
        type: spec.type,
        retryable: spec.retryable,
      }))
      .sort((a, b) => a.code.localeCompare(b.code));
    const fromDoc = [...rows].sort((a, b) => (a.code ?? '').localeCompare(b.code ?? ''));
    expect(fromDoc).toEqual(fromCode);
  });
});
