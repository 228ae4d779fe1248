/** Plain-object guard for lenient readers of untrusted JSON: true for `{…}`, false for arrays and null. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
