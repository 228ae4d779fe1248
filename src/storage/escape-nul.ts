/** U+0000 → the text `\u0000` (PostgreSQL text cannot hold NUL; ledger-insert.ts explains). */
export function escapeNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\\u0000') : text;
}
