import { describe, expect, it } from 'vitest';
import { loadRecordedInteractions } from './recorded-interactions.ts';
import { toolArgumentsFromSchema } from './tool-arguments-from-schema.ts';

describe('toolArgumentsFromSchema', () => {
  it('fills the recorded divide tool like the recorded call: required numbers plus the default', () => {
    const body = loadRecordedInteractions().find(
      (interaction) => interaction.file === 'chat/test_openrouter_tool_calling.yaml',
    )?.requestBody as {
      tools: { function: { parameters: unknown } }[];
    };
    const value = toolArgumentsFromSchema(body.tools[0]?.function.parameters);
    expect(value).toEqual({ numerator: 1, denominator: 1, on_inf: 'infinity' });
  });

  it('handles $ref into $defs, anyOf with null, const, bounds, formats and nested arrays', () => {
    const schema = {
      type: 'object',
      $defs: {
        Point: {
          type: 'object',
          properties: { x: { type: 'integer', exclusiveMinimum: 0 } },
          required: ['x'],
        },
      },
      properties: {
        point: { $ref: '#/$defs/Point' },
        maybe: { anyOf: [{ type: 'null' }, { type: 'number', maximum: 0.5 }] },
        kind: { const: 'fixed' },
        when: { type: 'string', format: 'date-time' },
        code: { type: 'string', minLength: 10 },
        matrix: { type: 'array', items: { type: 'array', items: { type: 'boolean' } } },
        nullable: { type: ['null', 'string'] },
        optional: { type: 'string' },
      },
      required: ['point', 'maybe', 'kind', 'when', 'code', 'matrix', 'nullable'],
    };
    expect(toolArgumentsFromSchema(schema)).toEqual({
      point: { x: 1 },
      maybe: 0.5,
      kind: 'fixed',
      when: '2026-01-01T00:00:00Z',
      code: 'examplexxx',
      matrix: [[true]],
      nullable: 'example',
    });
  });

  it('gives {} for a tool without parameters', () => {
    expect(toolArgumentsFromSchema(undefined)).toEqual({});
    expect(toolArgumentsFromSchema({ type: 'object', properties: {} })).toEqual({});
  });

  it('stops on recursive references', () => {
    const schema = {
      $ref: '#/$defs/Node',
      $defs: {
        Node: {
          type: 'object',
          properties: { next: { $ref: '#/$defs/Node' } },
          required: ['next'],
        },
      },
    };
    expect(() => JSON.stringify(toolArgumentsFromSchema(schema))).not.toThrow();
  });
});
