// Every key the validator knows, per place in the file. schemas/prompt.schema.json describes the
// same keys (with the hover docs); a unit test keeps the two in agreement.

/** Evaluator kinds in precedence order: when several are given, the first one is used (gh-models checked string, llm, uses). */
export const EVALUATOR_KIND_KEYS = [
  'string',
  'llm',
  'uses',
  'regex',
  'notContains',
  'json',
  'jsonSchema',
  'length',
  'latencyMs',
  'costUsd',
  'similarity',
] as const;

export const KEY_CONTEXTS = {
  /** The top-level mapping. */
  topLevel: {
    schemaPath: [],
    keys: [
      'name',
      'description',
      'model',
      'modelParameters',
      'responseFormat',
      'jsonSchema',
      'messages',
      'testData',
      'evaluators',
      'repeat',
    ],
  },
  modelParameters: {
    schemaPath: ['modelParameters'],
    keys: ['maxTokens', 'temperature', 'topP', 'presencePenalty', 'frequencyPenalty', 'stop', 'seed'],
  },
  repeat: { schemaPath: ['repeat', '{}'], keys: ['n', 'passRate'] },
  message: { schemaPath: ['messages', '[]'], keys: ['role', 'content'] },
  contentFile: { schemaPath: ['messages', '[]', 'content', '{}'], keys: ['file'] },
  /** Keys inside the JSON text of `jsonSchema`. */
  jsonSchema: { schemaPath: ['jsonSchema', '{}'], keys: ['name', 'schema', 'strict', 'description'] },
  evaluator: {
    schemaPath: ['evaluators', '[]'],
    keys: ['name', ...EVALUATOR_KIND_KEYS],
  },
  stringEvaluator: {
    schemaPath: ['evaluators', '[]', 'string'],
    keys: ['equals', 'contains', 'startsWith', 'endsWith'],
  },
  llmEvaluator: {
    schemaPath: ['evaluators', '[]', 'llm'],
    keys: ['modelId', 'prompt', 'systemPrompt', 'choices', 'mode', 'threshold'],
  },
  llmChoice: { schemaPath: ['evaluators', '[]', 'llm', 'choices', '[]'], keys: ['choice', 'score'] },
  regexEvaluator: { schemaPath: ['evaluators', '[]', 'regex', '{}'], keys: ['pattern', 'flags'] },
  lengthEvaluator: { schemaPath: ['evaluators', '[]', 'length'], keys: ['min', 'max'] },
  latencyEvaluator: { schemaPath: ['evaluators', '[]', 'latencyMs', '{}'], keys: ['max'] },
  costEvaluator: { schemaPath: ['evaluators', '[]', 'costUsd', '{}'], keys: ['max'] },
  similarityEvaluator: {
    schemaPath: ['evaluators', '[]', 'similarity', '{}'],
    keys: ['expected', 'threshold', 'model'],
  },
} as const satisfies Record<string, { schemaPath: readonly string[]; keys: readonly string[] }>;

export type KeyContext = keyof typeof KEY_CONTEXTS;

/** gh-models `string` criteria in the order it checked them. */
export const STRING_CRITERIA = ['equals', 'contains', 'startsWith', 'endsWith'] as const;

export const BUILTIN_EVALUATORS = [
  'github/similarity',
  'github/coherence',
  'github/fluency',
  'github/relevance',
  'github/groundedness',
] as const;

/** Built-ins that read `{{expected}}` from the case. */
/**
 * Test-case field that marks a row `promptlab generate` wrote (value: when and by which model).
 * Not a variable: the parser moves it to `TestCase.generated`, so templates, case keys and reports
 * never see it, and deleting it after review changes nothing about the case.
 */
export const GENERATED_MARKER = '_generated';

export const BUILTINS_USING_EXPECTED = ['github/similarity', 'github/groundedness'] as const;

export const ROLES = ['system', 'user', 'assistant'] as const;

export const TEST_DATA_EXTENSIONS = ['.jsonl', '.json', '.csv', '.yaml', '.yml'] as const;
