// schemas/prompt.schema.json and the validator describe the same keys, and the gh-models examples
// are valid against the schema.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { KEY_CONTEXTS } from '../../../../src/core/promptfile';
import { fixture, repoRoot } from './support';

interface Schema {
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  definitions?: Record<string, Schema>;
}

const root = JSON.parse(fs.readFileSync(`${repoRoot}/schemas/prompt.schema.json`, 'utf8')) as Schema;

function deref(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/definitions/', '');
  const target = root.definitions?.[name];
  assert.ok(target, `dangling $ref ${schema.$ref}`);
  return deref(target);
}

/** '[]' = list items, '{}' = the object alternative of a oneOf/anyOf, other = a property. */
function schemaAt(path: readonly string[]): Schema {
  let current = deref(root);
  for (const segment of path) {
    let next: Schema | undefined;
    if (segment === '[]')
      next = current.items ?? [...(current.oneOf ?? []), ...(current.anyOf ?? [])].find((s) => s.items)?.items;
    else if (segment === '{}') next = [...(current.oneOf ?? []), ...(current.anyOf ?? [])].find((s) => s.properties);
    else next = current.properties?.[segment];
    assert.ok(next, `schema has nothing at ${path.join('.')} (segment ${segment})`);
    current = deref(next);
  }
  return current;
}

/** Every path in the schema that lists properties. */
function pathsWithProperties(schema: Schema, path: string[], out: string[][], seen = new Set<Schema>()): string[][] {
  const s = deref(schema);
  if (seen.has(s)) return out;
  seen.add(s);
  if (s.properties) {
    out.push(path);
    for (const [key, child] of Object.entries(s.properties)) pathsWithProperties(child, [...path, key], out, seen);
  }
  if (s.items) pathsWithProperties(s.items, [...path, '[]'], out, seen);
  for (const alternative of [...(s.oneOf ?? []), ...(s.anyOf ?? [])]) {
    const alt = deref(alternative);
    if (alt.properties) pathsWithProperties(alt, s.properties ? path : [...path, '{}'], out, seen);
    else if (alt.items) pathsWithProperties(alt.items, [...path, '[]'], out, seen);
  }
  return out;
}

void test('every key the validator knows is in the schema at the same place, and vice versa', () => {
  for (const [context, { schemaPath, keys }] of Object.entries(KEY_CONTEXTS)) {
    const properties = Object.keys(schemaAt(schemaPath).properties ?? {});
    assert.deepEqual(
      [...properties].sort(),
      [...keys].sort(),
      `keys differ for ${context} (${schemaPath.join('.') || 'top level'})`,
    );
  }
});

void test('every place in the schema that lists keys is a place the validator checks', () => {
  const known = new Set(Object.values(KEY_CONTEXTS).map((c) => c.schemaPath.join('.')));
  for (const path of pathsWithProperties(root, [], [])) {
    assert.ok(
      known.has(path.join('.')),
      `schema lists keys at ${path.join('.') || 'top level'}, but no KEY_CONTEXTS entry checks them`,
    );
  }
});

void test('every key in the schema has a description (hover docs)', () => {
  const missing: string[] = [];
  for (const { schemaPath } of Object.values(KEY_CONTEXTS)) {
    for (const [key, child] of Object.entries(schemaAt(schemaPath).properties ?? {})) {
      const described = (s: Schema & { description?: string }) => !!s.description;
      if (!described(child) && !described(deref(child))) missing.push(`${schemaPath.join('.')}.${key}`);
    }
  }
  assert.deepEqual(missing, []);
});

void test('the nine gh-models examples and our extension fixtures validate against the schema', () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(root);
  const dirs = [fixture('gh-models-examples'), fixture('extensions')];
  let count = 0;
  for (const dir of dirs) {
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.prompt.yml') && !f.startsWith('invalid-'))) {
      const ok = validate(parse(fs.readFileSync(`${dir}/${name}`, 'utf8')));
      assert.ok(ok, `${name}: ${JSON.stringify(validate.errors)}`);
      count++;
    }
  }
  assert.ok(count >= 9);
});

void test('the schema rejects what the validator reports as an error', () => {
  const validate = new Ajv({ strict: false }).compile(root);
  assert.equal(validate({ messages: [{ role: 'robot', content: 'x' }] }), false);
  assert.equal(validate({ responseFormat: 'xml', messages: [] }), false);
  assert.equal(validate({ modelParameters: { temperature: 'hot' }, messages: [] }), false);
  assert.equal(validate({ repeat: 0, messages: [] }), false);
});
