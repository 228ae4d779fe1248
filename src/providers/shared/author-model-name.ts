/**
 * The vendor naming convention shared by the direct kinds: a catalogue id `author/name` is
 * served as `name`. Variant ids (`:free`, `:thinking`, `:online`, …) are OpenRouter features no
 * direct provider serves. docs/decisions/0005-provider-addressing.md.
 * @returns null when the id is not the author's or names a variant.
 */
export function authorModelName(author: string, canonicalId: string): string | null {
  if (!canonicalId.startsWith(author) || canonicalId.includes(':')) return null;
  const name = canonicalId.slice(author.length);
  return name === '' ? null : name;
}
