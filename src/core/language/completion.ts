// Completion for prompt files: keys valid where the cursor is, values for keys with a fixed set
// (roles, response formats, built-in judges, model ids), and variable names after `{{`.
import type { Position, PromptFile, Range } from '../model';
import { RESPONSE_FORMATS } from '../model';
import { BUILTIN_EVALUATORS, EVALUATOR_KIND_KEYS, KEY_CONTEXTS, ROLES, STRING_CRITERIA } from '../promptfile/keys';
import { findPlaceholders } from '../template';
import { cursorContext, schemaShape, StructureScanner, type PathSegment } from './lineContext';
import type { SchemaDocs } from './schemaDocs';

export type CompletionKind = 'key' | 'value' | 'enum' | 'variable' | 'model' | 'evaluator';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  /** Text to insert; snippet syntax (`$1`, `${1|a,b|}`, `$0`) when `snippet` is true. Fully indented: insert as is. */
  insertText: string;
  snippet: boolean;
  /** Range on the cursor's line that the insertion replaces. */
  range: Range;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Orders entries (lower first) when the editor does not reorder by match quality. */
  sortText: string;
}

export interface CompletionOptions {
  /** Model ids to offer for `model:` / `modelId:` (from the provider configuration). */
  modelIds?: readonly string[];
  /** The last validated model of this file: its test cases supply variable names (also from external data). */
  prompt?: PromptFile;
  docs?: SchemaDocs;
  /** Indentation unit of the file (default two spaces). */
  indentUnit?: string;
}

const MODEL_KEYS: Record<string, readonly string[]> = {
  model: [],
  modelId: ['evaluators', '[]', 'llm'],
};

/** Variables the runner adds to judge prompts. */
const JUDGE_VARIABLES = ['completion'];

export function complete(text: string, position: Position, options: CompletionOptions = {}): CompletionEntry[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const lineText = lines[position.line] ?? '';
  const column = Math.min(position.column, lineText.length);
  const before = lineText.slice(0, column);
  const at = (start: number, end = column): Range => ({
    start: { line: position.line, column: start },
    end: { line: position.line, column: end },
  });

  const open = openPlaceholder(before, lineText.slice(column));
  const context = cursorContext(lines, position.line, column);
  if (open) {
    const inJudge = context.kind !== 'key' && context.path.includes('llm');
    return variableEntries(text, lines, options, inJudge).map((name, i) => ({
      label: name,
      kind: 'variable',
      insertText: open.closed ? name : `${name}}}`,
      snippet: false,
      range: at(open.start, open.end),
      detail: 'test-case variable',
      sortText: String(i).padStart(4, '0'),
    }));
  }

  if (context.kind === 'text') return [];
  const shape = schemaShape(context.path);

  if (context.kind === 'key') {
    const range = at(context.start, Math.max(column, context.start + wordLength(lineText, context.start)));
    if (shapeEquals(shape, ['testData', '[]']))
      return testCaseKeyEntries(text, lines, context.existingKeys, range, options);
    const keys = keysFor(shape);
    if (!keys) return [];
    const indent = ' '.repeat(context.start);
    const unit = options.indentUnit ?? '  ';
    return keys
      .filter((k) => !context.existingKeys.includes(k))
      .map((key, i) => {
        const info = options.docs?.infoAt([...shape, key]);
        const entry: CompletionEntry = {
          label: key,
          kind:
            shapeEquals(shape, ['evaluators', '[]']) && (EVALUATOR_KIND_KEYS as readonly string[]).includes(key)
              ? 'evaluator'
              : 'key',
          insertText: keySnippet(shape, key, indent, unit, info?.types ?? [], info?.enumValues ?? []),
          snippet: true,
          range,
          sortText: String(i).padStart(4, '0'),
        };
        if (info?.description) entry.documentation = info.description;
        if (info?.types.length) entry.detail = info.types.join(' | ');
        return entry;
      });
  }

  // Value on the same line as its key.
  const key = context.key;
  const parentShape = shape.slice(0, -1);
  let valueStart = context.start;
  let valueEnd = context.end;
  const quote = lineText[valueStart];
  if (quote === '"' || quote === "'") {
    valueStart++;
    const close = lineText.indexOf(quote, valueStart);
    if (close >= 0) valueEnd = close;
  }
  if (column < valueStart) return [];
  const needsSpace = valueStart > 0 && lineText[valueStart - 1] === ':';
  const range = at(valueStart, Math.max(valueEnd, column));
  const values = valuesFor(parentShape, key, options);
  return values.map((v, i) => ({
    label: v.label,
    kind: v.kind,
    insertText: `${needsSpace ? ' ' : ''}${v.label}`,
    snippet: false,
    range,
    ...(v.detail ? { detail: v.detail } : {}),
    sortText: String(i).padStart(4, '0'),
  }));
}

/** An unclosed `{{` before the cursor on this line: where the name starts and whether `}}` follows. */
function openPlaceholder(before: string, after: string): { start: number; end: number; closed: boolean } | undefined {
  const at = before.lastIndexOf('{{');
  if (at < 0) return undefined;
  const inner = before.slice(at + 2);
  if (/[{}]/.test(inner) || !/^\s*[^\s{}]*$/.test(inner)) return undefined;
  const nameStart = at + 2 + (inner.length - inner.trimStart().length);
  const rest = /^([^\s{}]*)(\s*\}\})?/.exec(after);
  const restName = rest?.[1] ?? '';
  const closed = rest?.[2] !== undefined;
  return { start: nameStart, end: before.length + restName.length, closed };
}

function wordLength(lineText: string, start: number): number {
  const match = /^[^\s:#]*/.exec(lineText.slice(start));
  return match ? match[0].length : 0;
}

function shapeEquals(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** Keys valid in the mapping at `shape`, from the validator's own key table. */
function keysFor(shape: readonly string[]): readonly string[] | undefined {
  for (const context of Object.values(KEY_CONTEXTS)) {
    const path = context.schemaPath.filter((s) => s !== '{}');
    if (shapeEquals(path, shape)) return context.keys;
  }
  return undefined;
}

function keySnippet(
  shape: readonly string[],
  key: string,
  indent: string,
  unit: string,
  types: readonly string[],
  enumValues: readonly string[],
): string {
  const nested = `\n${indent}${unit}`;
  if (shape.length === 0 && key === 'messages')
    return `messages:${nested}- role: \${1|${ROLES.join(',')}|}${nested}  content: $0`;
  if (shape.length === 0 && key === 'evaluators') return `evaluators:${nested}- name: $1${nested}  $0`;
  if (shape.length === 0 && key === 'testData') return `testData:${nested}- $0`;
  if (shapeEquals(shape, ['evaluators', '[]']) && key === 'string')
    return `string:${nested}\${1|${STRING_CRITERIA.join(',')}|}: $0`;
  if (shapeEquals(shape, ['evaluators', '[]']) && key === 'llm')
    // Placeholder values that validate as they are (empty ones were three errors the moment it was accepted).
    return (
      `llm:${nested}modelId: \${1:openai/gpt-4o-mini}` +
      `${nested}prompt: "\${2:Does this reply answer the request? Reply: {{completion\\}\\} Answer 1 for yes, 0 for no.}"` +
      `${nested}choices:${nested}${unit}- choice: "\${3:1}"${nested}${unit}  score: 1` +
      `${nested}${unit}- choice: "0"${nested}${unit}  score: 0$0`
    );
  if (key === 'role') return `role: \${1|${ROLES.join(',')}|}`;
  if (key === 'responseFormat') return `responseFormat: \${1|${RESPONSE_FORMATS.join(',')}|}`;
  if (key === 'uses') return `uses: \${1|${BUILTIN_EVALUATORS.join(',')}|}`;
  if (enumValues.length > 0) return `${key}: \${1|${enumValues.map(escapeChoice).join(',')}|}`;
  const only = types.length === 1 ? types[0] : undefined;
  if (only === 'object') return `${key}:${nested}$0`;
  if (only === 'array') return `${key}:${nested}- $0`;
  return `${key}: $0`;
}

function escapeChoice(value: string): string {
  return value.replace(/[,|\\$}]/g, (c) => `\\${c}`);
}

interface ValueChoice {
  label: string;
  kind: CompletionKind;
  detail?: string;
}

function valuesFor(parentShape: readonly string[], key: string, options: CompletionOptions): ValueChoice[] {
  if (shapeEquals(parentShape, ['messages', '[]']) && key === 'role')
    return ROLES.map((r) => ({ label: r, kind: 'enum' }));
  if (parentShape.length === 0 && key === 'responseFormat')
    return RESPONSE_FORMATS.map((r) => ({ label: r, kind: 'enum' }));
  if (shapeEquals(parentShape, ['evaluators', '[]']) && key === 'uses')
    return BUILTIN_EVALUATORS.map((b) => ({ label: b, kind: 'evaluator', detail: 'built-in judge' }));
  const modelParent = MODEL_KEYS[key];
  if (
    (modelParent && shapeEquals(parentShape, modelParent)) ||
    (key === 'model' && shapeEquals(parentShape, ['evaluators', '[]', 'similarity']))
  )
    return (options.modelIds ?? []).map((m) => ({ label: m, kind: 'model' }));
  const info = options.docs?.infoAt([...parentShape, key]);
  if (info?.enumValues.length) return info.enumValues.map((v) => ({ label: v, kind: 'enum' }));
  if (info && info.types.length === 1 && info.types[0] === 'boolean')
    return ['true', 'false'].map((v) => ({ label: v, kind: 'enum' }));
  return [];
}

/** Variable names: the test cases' keys (from the validated model when given, else from the text). */
function variableEntries(
  text: string,
  lines: readonly string[],
  options: CompletionOptions,
  inJudge: boolean,
): string[] {
  const names = new Set<string>();
  if (options.prompt)
    for (const testCase of options.prompt.testData) for (const key of Object.keys(testCase.vars)) names.add(key);
  else for (const key of testDataKeysInText(lines)) names.add(key);
  if (inJudge) for (const v of JUDGE_VARIABLES) names.add(v);
  // Placeholders already used elsewhere are likely wanted again (e.g. before test data exists).
  for (const p of findPlaceholders(text)) names.add(p.name);
  return [...names];
}

/** In a test case: the variables the prompt uses that this case does not set yet. */
function testCaseKeyEntries(
  text: string,
  lines: readonly string[],
  existing: readonly string[],
  range: Range,
  options: CompletionOptions,
): CompletionEntry[] {
  const used: string[] = [];
  for (const p of findPlaceholders(text)) if (!used.includes(p.name)) used.push(p.name);
  const others = options.prompt
    ? options.prompt.testData.flatMap((c) => Object.keys(c.vars))
    : testDataKeysInText(lines);
  for (const key of others) if (!used.includes(key)) used.push(key);
  return used
    .filter((name) => !existing.includes(name) && /^[^\s:#{}[\],]+$/.test(name))
    .map((name, i) => ({
      label: name,
      kind: 'variable',
      insertText: `${name}: $0`,
      snippet: true,
      range,
      detail: 'test-case variable',
      sortText: String(i).padStart(4, '0'),
    }));
}

/** Keys of the test cases written in the file itself (`testData:` list of mappings). */
export function testDataKeysInText(lines: readonly string[]): string[] {
  const scanner = new StructureScanner();
  const keys: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    scanner.feed(lines[i] ?? '', i);
    const path: PathSegment[] = scanner.path();
    if (
      path.length === 3 &&
      path[0] === 'testData' &&
      typeof path[1] === 'number' &&
      typeof path[2] === 'string' &&
      !keys.includes(path[2])
    )
      keys.push(path[2]);
  }
  return keys;
}

/** Model ids a provider configuration names explicitly (routes, provider model lists without globs, judge and embedding models). */
export function modelIdsFromConfig(config: {
  models?: Record<string, unknown>;
  providers?: Record<string, { models?: readonly string[] }>;
  judgeModel?: string;
  embeddingModel?: string;
}): string[] {
  const ids = new Set<string>(Object.keys(config.models ?? {}));
  for (const provider of Object.values(config.providers ?? {}))
    for (const id of provider.models ?? []) if (!/[*?]/.test(id)) ids.add(id);
  if (config.judgeModel) ids.add(config.judgeModel);
  if (config.embeddingModel) ids.add(config.embeddingModel);
  return [...ids];
}
