/** Reads an OpenAI function tool (`{type:"function", function:{name, description?, parameters?}}`) for translation. */
import type { Tool } from '../../contracts/chat.ts';
import { isRecord } from './map-upstream-error.ts';

export interface FunctionToolDefinition {
  name: string;
  description?: string;
  /** The JSON Schema of the arguments, when the tool gives one. */
  parameters?: Record<string, unknown>;
}

/** The function tool's definition, or null for server tools and malformed entries. */
export function readFunctionTool(tool: Tool): FunctionToolDefinition | null {
  if (tool.type !== 'function' || !isRecord(tool.function)) return null;
  const fn = tool.function;
  if (typeof fn.name !== 'string') return null;
  return {
    name: fn.name,
    ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
    ...(isRecord(fn.parameters) ? { parameters: fn.parameters } : {}),
  };
}
