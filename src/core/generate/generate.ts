// `promptlab generate` and the editor's "Generate test cases…": ask a model for new test cases
// (structured output, schema derived from the file's template variables), drop duplicates, and
// produce the new text of the file that holds the test data. Writing is the caller's job, so the
// editor can preview the result as a diff first.
import path from 'node:path';
import Ajv from 'ajv';
import { sanitizeForTerminal } from '../../format/escape';
import { truncate } from '../../format/numbers';
import { PromptLabError } from '../errors';
import type { FileReader, PromptFile } from '../model';
import { parsePromptFile, defaultFileReader, stripBom } from '../promptfile/parse';
import { BUILTINS_USING_EXPECTED, GENERATED_MARKER } from '../promptfile/keys';
import { testDataFormat, type TestDataFormat } from '../promptfile/testData';
import type { ModelResolver } from '../providers/types';
import { canonicalJson } from '../run/canonical';
import { findPlaceholders } from '../template';
import { appendToPromptFileText, appendToTestDataText, csvHeader, missingCsvColumns, type Row } from './append';

/** `json_schema.name` of a generation request (the stand-in recognises it; see docs/standin.md). */
export const GENERATION_SCHEMA_NAME = 'promptlab_test_cases';
export const MAX_GENERATE_COUNT = 50;
/** Existing rows shown to the model so it does not repeat them. */
const MAX_EXISTING_SHOWN = 40;

export type VariableType = 'string' | 'integer' | 'number' | 'boolean';

export interface GenerationVariables {
  /** Placeholders in the messages: what each test case varies. */
  inputs: string[];
  /** Variables only evaluators read (`{{expected}}`, `github/similarity`'s expected …). */
  expectations: string[];
  types: Record<string, VariableType>;
}

/** JUDGE prompts get `{{completion}}` from the runner; it is never test data. */
const RUNNER_VARIABLES = new Set(['completion']);

function evaluatorTexts(prompt: PromptFile): string[] {
  const texts: string[] = [];
  for (const spec of prompt.evaluators) {
    if (spec.kind === 'string' || spec.kind === 'notContains') texts.push(spec.value);
    if (spec.kind === 'regex') texts.push(spec.pattern);
    if (spec.kind === 'llm') texts.push(spec.prompt, spec.systemPrompt ?? '');
    if (spec.kind === 'similarity') texts.push(spec.expected);
    if (spec.kind === 'builtin' && (BUILTINS_USING_EXPECTED as readonly string[]).includes(spec.uses))
      texts.push('{{expected}}');
  }
  return texts;
}

function inferType(values: unknown[]): VariableType {
  const present = values.filter((v) => v !== undefined);
  if (present.length === 0) return 'string';
  if (present.every((v) => typeof v === 'boolean')) return 'boolean';
  if (present.every((v) => typeof v === 'number' && Number.isInteger(v))) return 'integer';
  if (present.every((v) => typeof v === 'number')) return 'number';
  return 'string';
}

export function generationVariables(prompt: PromptFile): GenerationVariables {
  const names = (texts: string[]): string[] =>
    [...new Set(texts.flatMap((t) => findPlaceholders(t).map((p) => p.name)))].filter((n) => !RUNNER_VARIABLES.has(n));
  const inputs = names(prompt.messages.map((m) => m.content));
  const expectations = names(evaluatorTexts(prompt)).filter((n) => !inputs.includes(n));
  const types: Record<string, VariableType> = {};
  for (const name of [...inputs, ...expectations]) types[name] = inferType(prompt.testData.map((c) => c.vars[name]));
  return { inputs, expectations, types };
}

/** The structured-output schema: exactly `count` cases, each with every requested variable. */
export function generationSchema(
  variables: readonly string[],
  types: Record<string, VariableType>,
  count: number,
): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      cases: {
        type: 'array',
        minItems: count,
        maxItems: count,
        items: {
          type: 'object',
          properties: Object.fromEntries(variables.map((v) => [v, { type: types[v] ?? 'string' }])),
          required: [...variables],
          additionalProperties: false,
        },
      },
    },
    required: ['cases'],
    additionalProperties: false,
  };
}

export interface GenerateOptions {
  /** A loaded prompt file without errors. */
  prompt: PromptFile;
  resolver: ModelResolver;
  /** Model id that writes the cases. */
  model: string;
  count: number;
  focus?: string;
  /** Also propose values for the variables only evaluators read (`expected`). */
  expected?: boolean;
  /** Reads the external test-data file (the editor passes one that sees unsaved buffers). */
  reader?: FileReader;
  now?: Date;
  signal?: AbortSignal;
}

export interface GeneratePlan {
  /** The file that gets the rows: the prompt file, or its external test-data file. */
  targetFile: string;
  format: TestDataFormat | 'prompt';
  oldText: string;
  /** Equals oldText when nothing is added. */
  newText: string;
  /** Rows written, marker included. */
  added: Row[];
  /** Rows the model proposed that repeat an existing row or an earlier proposed one. */
  duplicates: Row[];
  variables: GenerationVariables;
  /** Things the user should know (no expected values proposed, CSV without a marker column …). */
  notes: string[];
}

function messagesFor(
  prompt: PromptFile,
  variables: GenerationVariables,
  requested: string[],
  count: number,
  focus: string | undefined,
): { role: 'system' | 'user'; content: string }[] {
  const system = [
    'You write test cases for a prompt template. Each test case gives a value to every listed variable;',
    'the value is inserted verbatim where {{name}} appears in the template.',
    "Cover the prompt's main intent with typical inputs, its edge cases (empty or very long values, unusual",
    'formatting, other languages, boundary numbers) and inputs likely to make it fail (ambiguous, adversarial,',
    'off-topic, instructions hidden in the input). Never repeat an existing test case.',
    'Reply with JSON only, matching the given schema.',
  ].join('\n');
  const existing = prompt.testData.slice(-MAX_EXISTING_SHOWN).map((c) => JSON.stringify(c.vars));
  const describe = (name: string): string => `- ${name} (${variables.types[name] ?? 'string'})`;
  const user = [
    'Prompt template, messages in order:',
    ...prompt.messages.map((m) => `[${m.role}]\n${m.content}`),
    '',
    'Variables of each test case:',
    ...variables.inputs.map(describe),
    ...(requested.length > variables.inputs.length
      ? [
          '',
          'Expected values (what a correct reply is checked against by the evaluators):',
          ...requested.filter((r) => !variables.inputs.includes(r)).map(describe),
        ]
      : []),
    '',
    existing.length
      ? `Existing test cases (do not repeat them):\n${existing.join('\n')}`
      : 'There are no test cases yet.',
    '',
    `Write exactly ${count} new test case${count === 1 ? '' : 's'}.`,
    ...(focus ? [`Focus: ${focus}`] : []),
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

const ajv = new Ajv({ strict: false, allErrors: false });

/** Model output is untrusted: no control characters, bounded length, in messages. */
function excerpt(text: string): string {
  return truncate(sanitizeForTerminal(text, true).trim(), 201);
}

/** The rows of a reply, or a PromptLabError saying exactly how it misses the schema. */
export function parseGeneratedReply(text: string, schema: Record<string, unknown>, model: string): Row[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PromptLabError(
      `${model} did not reply with JSON (${error instanceof Error ? error.message : String(error)}); reply: ${JSON.stringify(excerpt(text))}`,
      'provider',
    );
  }
  const validate = ajv.compile(schema);
  if (!validate(value)) {
    const first = validate.errors?.[0];
    const where = first?.instancePath ? first.instancePath : '(the reply)';
    const detail = first
      ? `${where} ${first.message ?? 'is invalid'}${first.params && 'additionalProperty' in first.params ? ` (${String(first.params.additionalProperty)})` : ''}`
      : 'invalid';
    throw new PromptLabError(
      `${model}'s reply does not match the test-case schema: ${detail}; nothing was written. Reply: ${JSON.stringify(excerpt(text))}`,
      'provider',
    );
  }
  return (value as { cases: Row[] }).cases;
}

/** Identity of a row for duplicate detection: its input values, strings trimmed and case-folded. */
function rowIdentity(row: Row, inputs: readonly string[]): string {
  const key: Row = {};
  for (const name of inputs) {
    const v = row[name];
    key[name] = typeof v === 'string' ? v.trim().replace(/\s+/g, ' ').toLowerCase() : v;
  }
  return canonicalJson(key);
}

export function dropDuplicates(
  rows: readonly Row[],
  existing: readonly Row[],
  inputs: readonly string[],
): { kept: Row[]; duplicates: Row[] } {
  const seen = new Set(existing.map((r) => rowIdentity(r, inputs)));
  const kept: Row[] = [];
  const duplicates: Row[] = [];
  for (const row of rows) {
    const id = rowIdentity(row, inputs);
    if (seen.has(id)) duplicates.push(row);
    else {
      seen.add(id);
      kept.push(row);
    }
  }
  return { kept, duplicates };
}

/** Where the rows go and its current text. Throws before any model call when they cannot go there. */
async function locateTarget(
  prompt: PromptFile,
  reader: FileReader,
): Promise<{ file: string; format: TestDataFormat | 'prompt'; text: string }> {
  if (prompt.testDataFile === undefined) return { file: prompt.path, format: 'prompt', text: prompt.text };
  const file = path.resolve(path.dirname(prompt.path), prompt.testDataFile);
  const format = testDataFormat(file);
  if (!format)
    throw new PromptLabError(`cannot append to test data "${prompt.testDataFile}": unsupported format`, 'input', {
      file: prompt.path,
    });
  let text: string;
  try {
    text = stripBom(await reader.readFile(file));
  } catch (error) {
    throw new PromptLabError(
      `cannot read test data "${prompt.testDataFile}": ${error instanceof Error ? error.message : String(error)}`,
      'input',
      { file },
    );
  }
  return { file, format, text };
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_GENERATE_COUNT)
    throw new PromptLabError(`count must be a whole number from 1 to ${MAX_GENERATE_COUNT}, got ${count}`, 'input');
}

export async function planGeneration(options: GenerateOptions): Promise<GeneratePlan> {
  const { prompt, count } = options;
  checkCount(count);
  const reader = options.reader ?? defaultFileReader;
  const variables = generationVariables(prompt);
  const notes: string[] = [];
  if (variables.inputs.length === 0) {
    const range = prompt.keyRanges.messages;
    throw new PromptLabError(
      'no template variables ({{name}}) in the messages: test cases would have nothing to vary',
      'input',
      { file: prompt.path, ...(range ? { range } : {}) },
    );
  }
  const requested = options.expected ? [...variables.inputs, ...variables.expectations] : [...variables.inputs];
  if (options.expected && variables.expectations.length === 0)
    notes.push(
      '--expected: no evaluator reads a variable the messages do not set (such as {{expected}}); only inputs were generated',
    );
  if (!options.expected && variables.expectations.length) {
    notes.push(
      `new rows have no ${variables.expectations.map((v) => `\`${v}\``).join(', ')} (read by the evaluators); add them, or generate with --expected`,
    );
  }
  const target = await locateTarget(prompt, reader);
  if (target.format === 'csv') {
    const missing = missingCsvColumns(target.text, requested);
    if (missing.length)
      throw new PromptLabError(
        `${prompt.testDataFile ?? target.file} has no column for ${missing.join(', ')}; add ${missing.length === 1 ? 'it' : 'them'} to its header first`,
        'input',
        { file: target.file },
      );
    if (!csvHeader(target.text).includes(GENERATED_MARKER)) {
      notes.push(
        `${prompt.testDataFile} has no ${GENERATED_MARKER} column, so new rows are not marked (add the column to mark them)`,
      );
    }
  }

  const resolved = options.resolver.resolve(options.model);
  const schema = generationSchema(requested, variables.types, count);
  const reply = await resolved.provider.chat({
    model: resolved.model,
    messages: messagesFor(prompt, variables, requested, count, options.focus),
    parameters: {},
    responseFormat: 'json_schema',
    jsonSchema: { name: GENERATION_SCHEMA_NAME, schema, strict: true, raw: JSON.stringify(schema) },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const proposed = parseGeneratedReply(reply.text, schema, options.model);
  const { kept, duplicates } = dropDuplicates(
    proposed,
    prompt.testData.map((c) => c.vars),
    variables.inputs,
  );
  const date = (options.now ?? new Date()).toISOString().slice(0, 10);
  const marker = `${date} ${options.model}`;
  const added = kept.map((row) => ({ [GENERATED_MARKER]: marker, ...row }));
  const plan: GeneratePlan = {
    targetFile: target.file,
    format: target.format,
    oldText: target.text,
    newText: target.text,
    added,
    duplicates,
    variables,
    notes,
  };
  if (added.length === 0) return plan;

  plan.newText =
    target.format === 'prompt'
      ? appendToPromptFileText(target.text, added)
      : appendToTestDataText(target.text, target.format, added, target.file);
  await verifyAppended(prompt, plan, reader);
  return plan;
}

/** The written result must load with every old case plus exactly the new ones and no errors. */
async function verifyAppended(prompt: PromptFile, plan: GeneratePlan, reader: FileReader): Promise<void> {
  const external = plan.format !== 'prompt';
  const promptText = external ? prompt.text : plan.newText;
  const overlay: FileReader = {
    readFile: (file) =>
      external && path.resolve(file) === path.resolve(plan.targetFile)
        ? Promise.resolve(plan.newText)
        : reader.readFile(file),
  };
  const { prompt: after, diagnostics } = await parsePromptFile(prompt.path, promptText, overlay);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const expectedCount = prompt.testData.length + plan.added.length;
  if (!after || errors.length || after.testData.length !== expectedCount) {
    const why = errors[0]?.message ?? `${after?.testData.length ?? 0} test cases instead of ${expectedCount}`;
    throw new PromptLabError(
      `appending the generated rows would break the file (${why}); nothing was written`,
      'internal',
      { file: plan.targetFile },
    );
  }
  const tail = after.testData.slice(prompt.testData.length);
  tail.forEach((c, i) => {
    const { [GENERATED_MARKER]: _marker, ...vars } = plan.added[i] ?? {};
    if (canonicalJson(c.vars) !== canonicalJson(vars))
      throw new PromptLabError(`appended row ${i + 1} reads back differently; nothing was written`, 'internal', {
        file: plan.targetFile,
      });
  });
}
