import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { sampleFromSchema } from '../../../src/standin/schemaSample';

const schemas: Record<string, Record<string, unknown>> = {
  'gh-models animal example': {
    type: 'object',
    properties: {
      name: { type: 'string' },
      habitat: { type: 'string' },
      diet: { type: 'string', enum: ['carnivore', 'herbivore', 'omnivore'] },
      characteristics: { type: 'array', items: { type: 'string' } },
    },
    required: ['name', 'habitat', 'diet'],
    additionalProperties: false,
  },
  'bounds and formats': {
    type: 'object',
    properties: {
      code: { type: 'string', minLength: 20, maxLength: 25 },
      tiny: { type: 'string', maxLength: 3 },
      email: { type: 'string', format: 'email' },
      score: { type: 'number', minimum: 0, maximum: 1 },
      count: { type: 'integer', exclusiveMinimum: 10 },
      negative: { type: 'integer', maximum: -5 },
      tags: { type: 'array', items: { type: 'integer' }, minItems: 3 },
      flag: { type: 'boolean' },
      nothing: { type: 'null' },
      fixed: { const: 'exactly this' },
    },
    required: ['code', 'score', 'count', 'tags', 'fixed'],
  },
  'refs, anyOf, oneOf, allOf, nullable types': {
    $defs: {
      step: {
        type: 'object',
        properties: { explanation: { type: 'string' }, output: { type: 'string' } },
        required: ['explanation', 'output'],
        additionalProperties: false,
      },
    },
    type: 'object',
    properties: {
      steps: { type: 'array', items: { $ref: '#/$defs/step' } },
      answer: { anyOf: [{ type: 'null' }, { type: 'number' }] },
      kind: { oneOf: [{ type: 'string', enum: ['a'] }, { type: 'integer' }] },
      merged: {
        allOf: [
          { type: 'object', properties: { x: { type: 'integer' } }, required: ['x'] },
          { properties: { y: { type: 'string' } }, required: ['y'] },
        ],
      },
      maybe: { type: ['string', 'null'] },
    },
    required: ['steps', 'answer', 'kind', 'merged', 'maybe'],
    additionalProperties: false,
  },
};

void describe('sampleFromSchema', () => {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  for (const [name, schema] of Object.entries(schemas)) {
    void it(`produces a value valid against: ${name}`, () => {
      const value = sampleFromSchema(schema);
      const validate = ajv.compile(schema);
      assert.ok(validate(value), `${JSON.stringify(value)}\n${ajv.errorsText(validate.errors)}`);
    });
  }

  void it('is deterministic and readable', () => {
    const schema = schemas['gh-models animal example'];
    assert.deepEqual(sampleFromSchema(schema), sampleFromSchema(schema));
    assert.deepEqual(sampleFromSchema(schema), {
      name: 'stand-in name',
      habitat: 'stand-in habitat',
      diet: 'carnivore',
      characteristics: ['stand-in characteristics'],
    });
  });
});
