/** Where a model's detail lives: the id keeps its slash (`/models/openai/gpt-4o`). */
export function modelPath(id: string): string {
  return `/models/${id.split('/').map(encodeURIComponent).join('/')}`;
}
