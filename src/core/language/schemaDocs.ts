// Key documentation for hover and completion, read from the JSON Schema of prompt files
// (schemas/prompt.schema.json) so the editor, the yamlValidation contribution and the docs share
// one source. The walker understands the parts of JSON Schema that schema uses to describe
// places in a file: properties, items, $ref, and oneOf/anyOf/allOf alternatives.
import type { PathSegment } from './lineContext';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  title?: string;
  description?: string;
  markdownDescription?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema | JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  definitions?: Record<string, JsonSchema>;
  $defs?: Record<string, JsonSchema>;
  [other: string]: unknown;
}

export interface KeyInfo {
  /** Markdown. */
  description?: string;
  /** The JSON types the value may have (e.g. ['string'] or ['string', 'object']). */
  types: string[];
  /** Allowed values when the schema lists them. */
  enumValues: string[];
  defaultValue?: unknown;
  examples: unknown[];
}

export class SchemaDocs {
  constructor(private readonly root: JsonSchema) {}

  /** Documentation for the key or item at `path` (list indexes may be numbers or `[]`). */
  infoAt(path: readonly PathSegment[]): KeyInfo | undefined {
    const schemas = this.schemasAt(path);
    return schemas.length > 0 ? this.describe(schemas) : undefined;
  }

  /** Property names the schema lists at `path` (a mapping), in schema order. */
  keysAt(path: readonly PathSegment[]): string[] {
    const target = this.schemasAt(path);
    const keys: string[] = [];
    for (const schema of target)
      for (const alternative of this.alternatives(schema))
        for (const key of Object.keys(alternative.properties ?? {})) if (!keys.includes(key)) keys.push(key);
    return keys;
  }

  private schemasAt(path: readonly PathSegment[]): JsonSchema[] {
    let current: JsonSchema[] = [this.root];
    for (const segment of path) {
      const next: JsonSchema[] = [];
      for (const schema of current) {
        for (const alternative of this.alternatives(schema)) {
          if (typeof segment === 'number' || segment === '[]') {
            const items = alternative.items;
            if (Array.isArray(items)) next.push(...items);
            else if (items) next.push(items);
          } else if (segment === '{}') {
            if (alternative.properties) next.push(alternative);
          } else {
            const property = alternative.properties?.[segment];
            if (property) next.push(property);
          }
        }
      }
      if (next.length === 0) return [];
      current = next;
    }
    return current;
  }

  private describe(schemas: JsonSchema[]): KeyInfo {
    const info: KeyInfo = { types: [], enumValues: [], examples: [] };
    for (const schema of schemas) {
      for (const alternative of this.alternatives(schema)) {
        info.description ??= alternative.markdownDescription ?? alternative.description;
        const types = Array.isArray(alternative.type) ? alternative.type : alternative.type ? [alternative.type] : [];
        for (const t of types) if (!info.types.includes(t)) info.types.push(t);
        if (!alternative.type && alternative.properties && !info.types.includes('object')) info.types.push('object');
        for (const value of alternative.enum ?? [])
          if (typeof value === 'string' && !info.enumValues.includes(value)) info.enumValues.push(value);
        if (typeof alternative.const === 'string' && !info.enumValues.includes(alternative.const))
          info.enumValues.push(alternative.const);
        if (alternative.default !== undefined) info.defaultValue ??= alternative.default;
        info.examples.push(...(alternative.examples ?? []));
      }
    }
    return info;
  }

  /** The schema itself (refs resolved) and every oneOf/anyOf/allOf branch below it. */
  private alternatives(schema: JsonSchema, depth = 0): JsonSchema[] {
    if (depth > 16) return [];
    const resolved = this.resolve(schema);
    const out: JsonSchema[] = [resolved];
    for (const branch of [...(resolved.oneOf ?? []), ...(resolved.anyOf ?? []), ...(resolved.allOf ?? [])])
      out.push(...this.alternatives(branch, depth + 1));
    return out;
  }

  private resolve(schema: JsonSchema, depth = 0): JsonSchema {
    if (!schema.$ref || depth > 16) return schema;
    const match = /^#\/(definitions|\$defs)\/(.+)$/.exec(schema.$ref);
    const target = match
      ? this.root[match[1] === 'definitions' ? 'definitions' : '$defs']?.[decodeURIComponent(match[2] ?? '')]
      : undefined;
    if (!target) return schema;
    // Sibling keywords of $ref (a description next to the ref) describe this use: keep them first.
    const { $ref: _ref, ...siblings } = schema;
    return { ...this.resolve(target, depth + 1), ...siblings };
  }
}
