import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../../../../src/core/evaluators';
import type { EvaluationContext } from '../../../../src/core/evaluators';
import type { EvaluatorSpec, JsonSchemaSpec } from '../../../../src/core/model';

const range = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };
const ctx = (output: string, extra: Partial<EvaluationContext> = {}): EvaluationContext => ({
  vars: {},
  output,
  latencyMs: 100,
  costUsd: 0.002,
  ...extra,
});

const personSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
  required: ['name', 'age'],
  additionalProperties: false,
};
const fileSchema: JsonSchemaSpec = {
  name: 'person',
  schema: personSchema,
  raw: JSON.stringify({ name: 'person', schema: personSchema }),
};

void describe('regex evaluator', () => {
  void it('matches with the given flags', async () => {
    const spec: EvaluatorSpec = { kind: 'regex', name: 're', range, pattern: '^answer: \\d+$', flags: 'im' };
    assert.equal((await evaluate(spec, ctx('intro\nANSWER: 42'))).passed, true);
    assert.equal((await evaluate(spec, ctx('answer: forty-two'))).passed, false);
  });

  void it('fills placeholders with the case value escaped, so it matches literally', async () => {
    const spec: EvaluatorSpec = { kind: 'regex', name: 're', range, pattern: '^{{expected}}$', flags: '' };
    const vars = { expected: '2+2=(4)' };
    assert.equal((await evaluate(spec, ctx('2+2=(4)', { vars }))).passed, true);
    assert.equal((await evaluate(spec, ctx('22=4', { vars }))).passed, false, 'the + is literal, not a quantifier');
  });

  void it('an invalid pattern is an evaluator error, not a plain failure', async () => {
    const result = await evaluate({ kind: 'regex', name: 're', range, pattern: '(unclosed', flags: '' }, ctx('x'));
    assert.equal(result.error, true);
    assert.equal(result.passed, false);
    assert.match(result.details, /Invalid regular expression/);
  });
});

void describe('json and jsonSchema evaluators', () => {
  void it('json accepts valid JSON and rejects the rest with a reason', async () => {
    const spec: EvaluatorSpec = { kind: 'json', name: 'json', range };
    assert.equal((await evaluate(spec, ctx('{"a": [1, 2]}'))).passed, true);
    const fenced = await evaluate(spec, ctx('```json\n{"a": 1}\n```'));
    assert.equal(fenced.passed, false);
    assert.match(fenced.details, /code fence/);
  });

  void it('jsonSchema validates against the file schema and lists errors with JSON pointers', async () => {
    const spec: EvaluatorSpec = { kind: 'jsonSchema', name: 'schema', range };
    assert.equal((await evaluate(spec, ctx('{"name": "Ada", "age": 36}', { jsonSchema: fileSchema }))).passed, true);
    const bad = await evaluate(spec, ctx('{"name": 7, "age": -1, "extra": true}', { jsonSchema: fileSchema }));
    assert.equal(bad.passed, false);
    assert.equal(bad.error, undefined);
    assert.match(bad.details, /\/name: must be string/);
    assert.match(bad.details, /\/age: must be >= 0/);
    assert.match(bad.details, /\/: must NOT have additional properties 'extra'/);
  });

  void it('an inline schema wins over the file schema', async () => {
    const spec: EvaluatorSpec = {
      kind: 'jsonSchema',
      name: 'schema',
      range,
      schema: { type: 'array', items: { type: 'number' } },
    };
    assert.equal((await evaluate(spec, ctx('[1, 2, 3]', { jsonSchema: fileSchema }))).passed, true);
    const bad = await evaluate(spec, ctx('[1, "two"]', { jsonSchema: fileSchema }));
    assert.match(bad.details, /\/1: must be number/);
  });

  void it('without any schema it is an evaluator error', async () => {
    const result = await evaluate({ kind: 'jsonSchema', name: 'schema', range }, ctx('{}'));
    assert.equal(result.error, true);
  });

  void it('a reply that is not JSON fails the schema check', async () => {
    const result = await evaluate(
      { kind: 'jsonSchema', name: 'schema', range },
      ctx('Sure! Here it is', { jsonSchema: fileSchema }),
    );
    assert.equal(result.passed, false);
    assert.match(result.details, /Not valid JSON/);
  });
});

void describe('length, latency and cost evaluators', () => {
  void it('length counts characters (code points) against min and max', async () => {
    const spec: EvaluatorSpec = { kind: 'length', name: 'len', range, min: 3, max: 5 };
    assert.equal((await evaluate(spec, ctx('ab'))).passed, false);
    assert.equal((await evaluate(spec, ctx('abc'))).passed, true);
    assert.equal((await evaluate(spec, ctx('😀😀😀😀😀'))).passed, true);
    assert.equal((await evaluate(spec, ctx('abcdef'))).passed, false);
  });

  void it('latencyMs is a ceiling', async () => {
    const spec: EvaluatorSpec = { kind: 'latencyMs', name: 'fast', range, max: 100 };
    assert.equal((await evaluate(spec, ctx('x', { latencyMs: 100 }))).passed, true);
    assert.equal((await evaluate(spec, ctx('x', { latencyMs: 101 }))).passed, false);
  });

  void it('costUsd is a ceiling, and an unknown price is an evaluator error, never a pass', async () => {
    const spec: EvaluatorSpec = { kind: 'costUsd', name: 'cheap', range, max: 0.001 };
    assert.equal((await evaluate(spec, ctx('x', { costUsd: 0.0005 }))).passed, true);
    assert.equal((await evaluate(spec, ctx('x', { costUsd: 0.002 }))).passed, false);
    const unknown = await evaluate(spec, ctx('x', { costUsd: null }));
    assert.equal(unknown.passed, false);
    assert.equal(unknown.error, true);
    assert.match(unknown.details, /price unknown/);
  });
});

void describe('similarity evaluator (embeddings)', () => {
  const spec: EvaluatorSpec = { kind: 'similarity', name: 'sim', range, expected: '{{expected}}', threshold: 0.9 };

  void it('compares the cosine of the two embeddings with the threshold', async () => {
    const seen: string[][] = [];
    // The embedding function is an injected dependency of the evaluator; vectors chosen by text.
    const embed = async (texts: string[]) => {
      seen.push(texts);
      return texts.map((t) => (t.startsWith('cat') ? [1, 0] : t.startsWith('kitten') ? [0.95, 0.312] : [0, 1]));
    };
    const close = await evaluate(spec, ctx('cat on a mat', { vars: { expected: 'kitten on a mat' }, embed }));
    assert.equal(close.passed, true);
    assert.deepEqual(seen[0], ['cat on a mat', 'kitten on a mat']);
    const far = await evaluate(spec, ctx('cat', { vars: { expected: 'stock prices' }, embed }));
    assert.equal(far.passed, false);
    assert.equal(far.score, 0);
  });

  void it('an embedding failure is an evaluator error', async () => {
    const embed = async (): Promise<number[][]> => {
      throw new Error('connection refused');
    };
    const result = await evaluate(spec, ctx('x', { vars: { expected: 'y' }, embed }));
    assert.equal(result.error, true);
    assert.match(result.details, /connection refused/);
  });
});
