/**
 * A plausible OpenRouter `provider` for a model id, from its author: OpenRouter reports the
 * serving provider's display name (recorded: "OpenAI", "Mistral", "Minimax", "Google",
 * "Amazon Bedrock" for Anthropic models, …). The emulator always names the author's first-party one.
 */
const PROVIDER_BY_AUTHOR: Readonly<Record<string, string>> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  mistralai: 'Mistral',
  'meta-llama': 'Meta',
  deepseek: 'DeepSeek',
  'x-ai': 'xAI',
  minimax: 'Minimax',
  'z-ai': 'Z.AI',
  qwen: 'Alibaba',
  moonshotai: 'Moonshot AI',
  cohere: 'Cohere',
  amazon: 'Amazon Bedrock',
  microsoft: 'Azure',
  nvidia: 'Nvidia',
  perplexity: 'Perplexity',
  ai21: 'AI21',
  openrouter: 'OpenRouter',
};

/** `openai/gpt-4o` → `OpenAI`; unknown authors are capitalised (`acme/x` → `Acme`). */
export function providerNameForModel(modelId: string): string {
  const author = (modelId.split('/')[0] ?? modelId).replace(/^~/, '');
  return PROVIDER_BY_AUTHOR[author] ?? author.charAt(0).toUpperCase() + author.slice(1);
}
