export const capabilityOptions = [
  { value: 'tools', label: 'Tools' },
  { value: 'structured_outputs', label: 'Structured outputs' },
  { value: 'reasoning', label: 'Reasoning' },
  { value: 'vision', label: 'Vision' },
];

/** The catalogue's capability flags, as the API derives them from a Model. */
export function modelCapabilities(model: {
  supported_parameters: string[];
  architecture: { input_modalities?: string[] };
}): string[] {
  // Same rule as src/catalog/catalog-entry.ts supportsCapability.
  const found = ['tools', 'structured_outputs', 'reasoning'].filter((capability) =>
    model.supported_parameters.includes(capability),
  );
  if (model.architecture.input_modalities?.includes('image')) found.push('vision');
  return found;
}
