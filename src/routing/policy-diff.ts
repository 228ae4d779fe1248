/** The fields that differ between two policy documents, as `{path, before, after}` entries. */
import { isRecord } from '../lib/is-record.ts';
import type { PolicyDiffEntry } from './policy-repository.ts';

function join(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
}

function walk(before: unknown, after: unknown, path: string, out: PolicyDiffEntry[]): void {
  if (Object.is(before, after)) return;
  if (isRecord(before) && isRecord(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)]))
      walk(before[key], after[key], join(path, key), out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    for (let index = 0; index < length; index += 1)
      walk(before[index], after[index], join(path, index), out);
    return;
  }
  const entry: PolicyDiffEntry = { path };
  if (before !== undefined) entry.before = before;
  if (after !== undefined) entry.after = after;
  out.push(entry);
}

/** `before` null/undefined = created, `after` null/undefined = deleted (one entry each way). */
export function diffPolicies(before: unknown, after: unknown): PolicyDiffEntry[] {
  const out: PolicyDiffEntry[] = [];
  walk(before ?? undefined, after ?? undefined, '', out);
  return out;
}
