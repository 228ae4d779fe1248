import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exclusionCodes } from '../../src/contracts/routing-decision.ts';
import { strategyNames } from '../../src/routing/policy-schema.ts';

const doc = readFileSync(new URL('../../docs/routing.md', import.meta.url), 'utf8');

/** The text of the section under `## <title>`. */
function section(title: string): string {
  const start = doc.indexOf(`## ${title}`);
  const end = doc.indexOf('\n## ', start + 3);
  return doc.slice(start, end === -1 ? undefined : end);
}

describe('docs/routing.md', () => {
  it('describes exactly the exclusion reason codes the code produces', () => {
    const table = section('What the request requires, and the reason codes');
    const documented = [...table.matchAll(/^\|\s*`([a-z_]+)`\s*\|/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual([...exclusionCodes].sort());
  });

  it('names every strategy', () => {
    for (const strategy of strategyNames) expect(doc).toContain(`- \`${strategy}\` —`);
  });
});
