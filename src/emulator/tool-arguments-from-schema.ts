/**
 * A value that satisfies a tool's JSON Schema (the subset function tools use: type, properties,
 * required, items, enum, const, default, anyOf/oneOf/allOf, $ref into $defs/definitions,
 * minimum/maximum, minItems/maxItems, minLength, format). The emulator sends it, serialised, as
 * a tool call's `arguments`. Required properties are always present; optional ones only when they
 * have a `default` (as the recorded Mistral call did with `on_inf`).
 */

type Schema = Record<string, unknown>;

const MAX_DEPTH = 12;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveReference(reference: string, root: Schema): Schema | null {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(reference);
  if (match === null) return null;
  const definitions = root[match[1] ?? ''];
  const target = isSchema(definitions)
    ? definitions[decodeURIComponent(match[2] ?? '')]
    : undefined;
  return isSchema(target) ? target : null;
}

function firstType(schema: Schema): string | null {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const types: readonly unknown[] = type;
    const concrete = types.find((item) => item !== 'null');
    return typeof concrete === 'string' ? concrete : null;
  }
  if (isSchema(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return null;
}

function numberFor(schema: Schema, integer: boolean): number {
  const minimum = typeof schema.minimum === 'number' ? schema.minimum : null;
  const exclusiveMinimum =
    typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : null;
  const maximum = typeof schema.maximum === 'number' ? schema.maximum : null;
  let value = minimum ?? (exclusiveMinimum === null ? 1 : exclusiveMinimum + 1);
  if (maximum !== null && value > maximum) value = maximum;
  return integer ? Math.ceil(value) : value;
}

function stringFor(schema: Schema): string {
  const formats: Record<string, string> = {
    date: '2026-01-01',
    'date-time': '2026-01-01T00:00:00Z',
    time: '00:00:00',
    email: 'user@example.com',
    uri: 'https://example.com',
    url: 'https://example.com',
    uuid: '00000000-0000-4000-8000-000000000000',
  };
  const text =
    typeof schema.format === 'string' ? (formats[schema.format] ?? 'example') : 'example';
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  return text.padEnd(minLength, 'x').slice(0, Math.max(maxLength, minLength));
}

function objectFor(schema: Schema, root: Schema, depth: number): Record<string, unknown> {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((key) => typeof key === 'string') : [],
  );
  const result: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    if (!isSchema(property)) continue;
    if (required.has(name) || property.default !== undefined)
      result[name] = valueFor(property, root, depth + 1);
  }
  for (const name of required) if (!(name in result)) result[name] = 'example';
  return result;
}

function arrayFor(schema: Schema, root: Schema, depth: number): unknown[] {
  const minItems = typeof schema.minItems === 'number' ? schema.minItems : 1;
  const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  const count = Math.min(Math.max(minItems, 1), maxItems);
  if (Array.isArray(schema.prefixItems)) {
    return schema.prefixItems.map((item) =>
      isSchema(item) ? valueFor(item, root, depth + 1) : null,
    );
  }
  const items = isSchema(schema.items) ? schema.items : {};
  return Array.from({ length: count }, () => valueFor(items, root, depth + 1));
}

function valueFor(schema: Schema, root: Schema, depth: number): unknown {
  if (depth > MAX_DEPTH) return null;
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (typeof schema.$ref === 'string') {
    const target = resolveReference(schema.$ref, root);
    return target === null ? {} : valueFor(target, root, depth + 1);
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const variants = schema[key];
    if (Array.isArray(variants)) {
      const list: readonly unknown[] = variants;
      const variant = list.find((item) => isSchema(item) && item.type !== 'null') ?? list[0];
      if (isSchema(variant)) return valueFor(variant, root, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf)) {
    const merged = Object.assign({}, ...schema.allOf.filter(isSchema), {
      allOf: undefined,
    }) as Schema;
    return valueFor({ ...merged, ...schema, allOf: undefined }, root, depth + 1);
  }
  switch (firstType(schema)) {
    case 'object':
      return objectFor(schema, root, depth);
    case 'array':
      return arrayFor(schema, root, depth);
    case 'integer':
      return numberFor(schema, true);
    case 'number':
      return numberFor(schema, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return stringFor(schema);
  }
}

/**
 * A JSON value satisfying `schema` (a tool's `function.parameters`). An absent or non-object
 * schema gives `{}` (a tool without parameters).
 */
export function toolArgumentsFromSchema(schema: unknown): unknown {
  if (!isSchema(schema)) return {};
  return valueFor(schema, schema, 0);
}
