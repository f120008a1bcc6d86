// Builds a value that satisfies a JSON Schema, so `response_format: json_schema` replies validate.
// Covers what prompt files use in practice: type (or a type list), enum, const, properties,
// required, items/minItems, string length bounds, numeric bounds, anyOf/oneOf/allOf and local $ref.

type Schema = Record<string, unknown>;

const MAX_DEPTH = 12;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveRef(ref: string, root: Schema): Schema | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const rawPart of ref.slice(2).split('/')) {
    const part = rawPart.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isSchema(node)) return undefined;
    node = node[part];
  }
  return isSchema(node) ? node : undefined;
}

function firstType(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const nonNull = type.find((t) => t !== 'null');
    return typeof nonNull === 'string' ? nonNull : typeof type[0] === 'string' ? type[0] : undefined;
  }
  if (isSchema(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function sampleString(schema: Schema, name: string): string {
  const format = schema.format;
  let text =
    format === 'email'
      ? 'standin@example.com'
      : format === 'date'
        ? '2024-01-01'
        : format === 'date-time'
          ? '2024-01-01T00:00:00Z'
          : format === 'uri' || format === 'url'
            ? 'https://example.com/'
            : format === 'uuid'
              ? '00000000-0000-4000-8000-000000000000'
              : `stand-in ${name}`;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  while (text.length < min) text += 'x';
  if (text.length > max) text = text.slice(0, max);
  return text;
}

function sampleNumber(schema: Schema, integer: boolean): number {
  const min =
    typeof schema.minimum === 'number'
      ? schema.minimum
      : typeof schema.exclusiveMinimum === 'number'
        ? schema.exclusiveMinimum + (integer ? 1 : 0.5)
        : undefined;
  const max =
    typeof schema.maximum === 'number'
      ? schema.maximum
      : typeof schema.exclusiveMaximum === 'number'
        ? schema.exclusiveMaximum - (integer ? 1 : 0.5)
        : undefined;
  let value = min ?? (max !== undefined ? Math.min(0, max) : integer ? 1 : 1.5);
  if (integer) value = Math.ceil(value);
  return value;
}

/** A deterministic value valid against `schema` (best effort for exotic keywords like `pattern`). */
export function sampleFromSchema(schema: unknown, root: unknown = schema, name = 'value', depth = 0): unknown {
  if (!isSchema(schema) || depth > MAX_DEPTH) return null;
  const rootSchema = isSchema(root) ? root : schema;
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, rootSchema);
    return target ? sampleFromSchema(target, rootSchema, name, depth + 1) : null;
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) {
      const nonNull = options.find((o) => !(isSchema(o) && o.type === 'null')) ?? options[0];
      return sampleFromSchema(nonNull, rootSchema, name, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    const merged: Schema = {};
    const properties: Schema = {};
    const required: unknown[] = [];
    for (const part of schema.allOf) {
      if (!isSchema(part)) continue;
      Object.assign(merged, part);
      if (isSchema(part.properties)) Object.assign(properties, part.properties);
      if (Array.isArray(part.required)) required.push(...(part.required as unknown[]));
    }
    const { allOf: _allOf, ...rest } = schema;
    return sampleFromSchema({ ...merged, ...rest, properties, required }, rootSchema, name, depth + 1);
  }
  switch (firstType(schema)) {
    case 'object': {
      const result: Record<string, unknown> = {};
      const properties = isSchema(schema.properties) ? schema.properties : {};
      // Every declared property is produced: strict schemas require all of them anyway.
      for (const [key, propertySchema] of Object.entries(properties)) {
        result[key] = sampleFromSchema(propertySchema, rootSchema, key, depth + 1);
      }
      if (Array.isArray(schema.required)) {
        for (const key of schema.required) {
          if (typeof key === 'string' && !(key in result)) result[key] = `stand-in ${key}`;
        }
      }
      return result;
    }
    case 'array': {
      const count = typeof schema.minItems === 'number' ? Math.max(1, schema.minItems) : 1;
      const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
      const items = Array.isArray(schema.prefixItems) ? schema.prefixItems : undefined;
      const length = Math.min(Math.max(count, items?.length ?? 0), maxItems);
      return Array.from({ length }, (_, i) =>
        sampleFromSchema(items?.[i] ?? schema.items ?? { type: 'string' }, rootSchema, name, depth + 1),
      );
    }
    case 'string':
      return sampleString(schema, name);
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return `stand-in ${name}`;
  }
}
