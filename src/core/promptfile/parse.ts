// Reads a .prompt.yml the way `gh models eval` did (see docs/format.md) and validates it.
// Never throws on bad input: every problem is a Diagnostic with the exact range of the offending
// key or value. What failed validation is left out of the PromptFile (or defaulted).
import * as nodePath from 'node:path';
import { readFile } from 'node:fs/promises';
import { isMap, isNode, isScalar, isSeq, type YAMLMap } from 'yaml';
import type {
  Diagnostic,
  FileReader,
  JsonSchemaSpec,
  LoadResult,
  Message,
  ModelParameters,
  PromptFile,
  Range,
  ResponseFormat,
  Role,
  TestCase,
} from '../model';
import { RESPONSE_FORMATS } from '../model';
import {
  capitalize,
  Checker,
  describeNode,
  type Entry,
  isEmptyNode,
  keyText,
  type SchemaCheck,
  truncate,
} from './checker';
import { parseEvaluators } from './evaluators';
import { parseJson } from './json';
import { GENERATED_MARKER, KEY_CONTEXTS, ROLES } from './keys';
import { LineIndex, parsePromptDocument, type PromptDocument } from './positions';
import { didYouMean } from './suggest';
import { parseTestDataText, testDataFormat } from './testData';
import { checkTemplates } from './variables';

export const defaultFileReader: FileReader = {
  readFile: (absolutePath: string): Promise<string> => readFile(absolutePath, 'utf8'),
};

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function readErrorText(e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

export interface ParseOptions {
  /** A YAML parse of exactly `text` the caller already has (the editor's incremental parse), to skip parsing again. */
  parsed?: PromptDocument;
  /**
   * How JSON Schemas are checked to compile. This module has none of its own (it would bring Ajv into
   * the editor's activation bundle): `core/promptfile`'s exports pass Ajv's, the editor passes it once
   * the engine is loaded. Without one, schemas are not compile-checked.
   */
  schemaCheck?: SchemaCheck;
}

/** Parse and validate a prompt file's text. `path` is used for diagnostics and to resolve referenced files. */
export async function parsePromptFile(
  path: string,
  text: string,
  reader: FileReader = defaultFileReader,
  options: ParseOptions = {},
): Promise<LoadResult> {
  try {
    const parsed = options.parsed?.text === text ? options.parsed : parsePromptDocument(text);
    return await parseChecked(path, text, reader, parsed, options.schemaCheck);
  } catch (e) {
    // A bug in the validator must not take the editor or a CI run down; say so plainly instead.
    const message = e instanceof Error ? e.message : String(e);
    return fileFailure(path, 'internal-error', `PromptLab could not validate this file (internal error: ${message})`);
  }
}

async function parseChecked(
  path: string,
  text: string,
  reader: FileReader,
  { doc, index }: PromptDocument,
  schemaCheck: SchemaCheck | undefined,
): Promise<LoadResult> {
  const checker = new Checker(path, text, index, doc, schemaCheck);
  const baseDir = nodePath.dirname(nodePath.resolve(path));

  for (const error of doc.errors) {
    if (error.code === 'DUPLICATE_KEY') {
      // The parser points at the key's first character; cover the whole key.
      const end = keyEnd(text, error.pos[0]);
      checker.report(
        index.range(error.pos[0], end),
        'error',
        'duplicate-key',
        `Duplicate key \`${text.slice(error.pos[0], end)}\`: each key may appear once`,
      );
      continue;
    }
    checker.report(
      index.range(error.pos[0], error.pos[1]),
      'error',
      'yaml-syntax',
      `YAML: ${firstLine(error.message)}${flowValueHint(text, error.pos[0])}`,
    );
  }
  for (const warning of doc.warnings)
    checker.report(
      index.range(warning.pos[0], warning.pos[1]),
      'warning',
      'yaml-warning',
      `YAML: ${firstLine(warning.message)}`,
    );

  const root = doc.contents;
  if (isEmptyNode(root)) {
    checker.report(
      index.lineRange(0),
      'error',
      'empty-file',
      'The prompt file is empty: expected a mapping with at least `model` and `messages`',
    );
    return { diagnostics: sortDiagnostics(checker.diagnostics, path) };
  }
  if (!isMap(root)) {
    checker.report(
      root,
      'error',
      'not-a-mapping',
      `A prompt file must be a YAML mapping (keys like \`model:\` and \`messages:\`), not ${describeNode(root)}`,
    );
    return { diagnostics: sortDiagnostics(checker.diagnostics, path) };
  }

  const prompt: PromptFile = {
    path,
    text,
    modelParameters: {},
    messages: [],
    testData: [],
    evaluators: [],
    repeat: 1,
    keyRanges: {},
  };
  checker.checkKeys(root, 'topLevel', 'the prompt file');
  const top = new Map<string, Entry>();
  for (const pair of checker.entries(root)) {
    const key = keyText(pair);
    if (key === undefined || top.has(key)) continue;
    top.set(key, pair);
    prompt.keyRanges[key] = checker.rangeOf(pair.key);
  }

  for (const key of ['name', 'description', 'model'] as const) {
    const pair = top.get(key);
    if (!pair) continue;
    const value = checker.text(pair.value, key);
    if (value === undefined || value.trim() === '') {
      if (isEmptyNode(pair.value)) checker.report(pair.key, 'warning', 'empty-value', `\`${key}\` has no value`);
    } else {
      prompt[key] = value;
    }
  }

  if (top.has('modelParameters'))
    prompt.modelParameters = parseModelParameters(checker, top.get('modelParameters') as Entry);

  const responseFormatPair = top.get('responseFormat');
  if (responseFormatPair) prompt.responseFormat = parseChoice(checker, responseFormatPair, RESPONSE_FORMAT_CHOICE);

  const jsonSchemaPair = top.get('jsonSchema');
  if (jsonSchemaPair) prompt.jsonSchema = parseJsonSchema(checker, jsonSchemaPair);

  const repeatPair = top.get('repeat');
  if (repeatPair) parseRepeat(checker, repeatPair.value, prompt);

  const messagesPair = top.get('messages');
  if (!messagesPair || isEmptyNode(messagesPair.value)) {
    checker.report(
      messagesPair ? checker.rangeOf(messagesPair.key) : checker.headOf(root),
      'error',
      'missing-messages',
      'The prompt file has no `messages` (a list of {role, content})',
    );
  } else {
    prompt.messages = await parseMessages(checker, messagesPair.value, baseDir, reader);
    if (isSeq(messagesPair.value) && messagesPair.value.items.length === 0) {
      checker.report(
        messagesPair.value,
        'error',
        'missing-messages',
        '`messages` is empty: add at least one {role, content}',
      );
    }
  }

  const testDataPair = top.get('testData');
  let caseKeyRanges = new Map<string, { file: string; range: Range }>();
  if (testDataPair) {
    const loaded = await parseTestData(checker, testDataPair, baseDir, reader);
    prompt.testData = loaded.cases;
    caseKeyRanges = loaded.keyRanges;
    if (loaded.file) prompt.testDataFile = loaded.file;
  }

  const evaluatorsPair = top.get('evaluators');
  if (evaluatorsPair && isEmptyNode(evaluatorsPair.value)) {
    checker.report(
      evaluatorsPair.key,
      'warning',
      'empty-value',
      '`evaluators` has no value: every case passes once the model replies',
    );
  } else if (evaluatorsPair) {
    prompt.evaluators = parseEvaluators(checker, evaluatorsPair.value, prompt);
    prompt.evaluatorsRange = checker.rangeOf(evaluatorsPair.value);
  }

  // Cross-field rules (gh-models load errors).
  if (prompt.responseFormat === 'json_schema' && !jsonSchemaPair) {
    checker.report(
      responseFormatPair?.value,
      'error',
      'missing-json-schema',
      '`responseFormat: json_schema` needs a `jsonSchema` (JSON text with `name` and `schema`)',
    );
  }
  const evaluatorUsesFileSchema = prompt.evaluators.some((e) => e.kind === 'jsonSchema' && !e.schema);
  if (jsonSchemaPair && prompt.responseFormat !== 'json_schema' && !evaluatorUsesFileSchema) {
    checker.report(
      jsonSchemaPair.key,
      'warning',
      'unused-json-schema',
      '`jsonSchema` is only sent when `responseFormat: json_schema`; here it is ignored',
    );
  }

  checkTemplates(checker, prompt, caseKeyRanges, checker.implicitVariables);
  return { prompt, diagnostics: sortDiagnostics(checker.diagnostics, path) };
}

/** The prompt file's own diagnostics first, then other files; each in text order (stable). */
function sortDiagnostics(diagnostics: Diagnostic[], path: string): Diagnostic[] {
  const fileRank = (d: Diagnostic) => (d.file === path ? 0 : 1);
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort(
      (a, b) =>
        fileRank(a.d) - fileRank(b.d) ||
        a.d.file.localeCompare(b.d.file) ||
        a.d.range.start.line - b.d.range.start.line ||
        a.d.range.start.column - b.d.range.start.column ||
        a.i - b.i,
    )
    .map(({ d }) => d);
}

function keyEnd(text: string, start: number): number {
  const quote = text[start];
  if (quote === '"' || quote === "'") {
    const close = text.indexOf(quote, start + 1);
    const lineEnd = text.indexOf('\n', start);
    if (close > start && (lineEnd < 0 || close < lineEnd)) return close + 1;
  }
  let end = start;
  while (end < text.length && !/[:\r\n]/.test(text[end] ?? '')) end++;
  while (end > start + 1 && /\s/.test(text[end - 1] ?? '')) end--;
  return Math.max(end, Math.min(start + 1, text.length));
}

/** `key: [x: 1] and more` fails because YAML took `[`/`{` for a list/mapping: say that quoting makes it text. */
function flowValueHint(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const end = text.indexOf('\n', offset);
  const line = text.slice(start, end < 0 ? undefined : end);
  const value = /^\s*(?:-\s+)?[^\s:#][^:#]*:\s+([[{].*?)\s*$/.exec(line)?.[1];
  return value
    ? `; a value starting with "${value[0]}" is read as a YAML ${value[0] === '[' ? 'list' : 'mapping'}: to make it text, quote it: ${JSON.stringify(value)}`
    : '';
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** `repeat: 5`, or `repeat: {n: 5, passRate: 0.8}` (the case passes when ≥ 80 % of its samples pass). */
function parseRepeat(checker: Checker, node: unknown, prompt: PromptFile): void {
  if (!isMap(node)) {
    prompt.repeat = checker.number(node, 'repeat', { integer: true, min: 1 }) ?? 1;
    return;
  }
  checker.checkKeys(node, 'repeat', '`repeat`');
  const n = checker.pair(node, 'n');
  if (!n)
    checker.report(
      node,
      'error',
      'missing-repeat-count',
      '`repeat` needs `n`: the number of samples per case, e.g. {n: 5, passRate: 0.8}',
    );
  else prompt.repeat = checker.number(n.value, 'repeat.n', { integer: true, min: 1 }) ?? 1;
  const rate = checker.pair(node, 'passRate');
  if (rate) {
    const value = checker.number(rate.value, 'repeat.passRate', { min: 0, max: 1, exclusiveMin: true });
    if (value !== undefined) prompt.repeatPassRate = value;
  }
}

function parseModelParameters(checker: Checker, pair: Entry): ModelParameters {
  const params: ModelParameters = {};
  const node = pair.value;
  if (isEmptyNode(node)) {
    checker.report(pair.key, 'warning', 'empty-value', '`modelParameters` has no value');
    return params;
  }
  if (!isMap(node)) {
    checker.report(
      node,
      'error',
      'wrong-type',
      `\`modelParameters\` must be a mapping (maxTokens, temperature, topP, …), not ${describeNode(node)}`,
    );
    return params;
  }
  checker.checkKeys(node, 'modelParameters', '`modelParameters`');
  for (const p of checker.entries(node)) {
    const key = keyText(p);
    const value = p.value;
    switch (key) {
      case 'maxTokens':
        params.maxTokens = checker.number(value, key, { integer: true, min: 1 });
        break;
      case 'temperature':
        params.temperature = checker.number(value, key, { min: 0, max: 2, rangeSeverity: 'warning' });
        break;
      case 'topP':
        params.topP = checker.number(value, key, { min: 0, max: 1, rangeSeverity: 'warning' });
        break;
      case 'presencePenalty':
      case 'frequencyPenalty':
        params[key] = checker.number(value, key, { min: -2, max: 2, rangeSeverity: 'warning' });
        break;
      case 'seed':
        params.seed = checker.number(value, key, { integer: true });
        break;
      case 'stop':
        params.stop = parseStop(checker, value);
        break;
      default:
        break;
    }
  }
  for (const key of Object.keys(params) as (keyof ModelParameters)[]) if (params[key] === undefined) delete params[key];
  return params;
}

function parseStop(checker: Checker, node: unknown): string[] | undefined {
  if (isSeq(node)) {
    const stops: string[] = [];
    for (const item of checker.items(node)) {
      const text = checker.text(item, 'stop');
      if (text !== undefined) stops.push(text);
    }
    if (stops.length > 4)
      checker.report(
        node,
        'warning',
        'out-of-range',
        `Most providers accept at most 4 \`stop\` sequences; this has ${stops.length}`,
      );
    return stops;
  }
  const text = checker.text(node, 'stop');
  return text === undefined ? undefined : [text];
}

/** A value that must be one of a few words, and how its errors name the key and the choices. */
interface Choice<T extends string> {
  key: string;
  values: readonly T[];
  code: string;
  /** The choices as the messages list them, after "use". */
  use: string;
  /** How an unknown value is introduced, before its quoted text. */
  unknown: string;
  /** Maps the text before it is matched (the value returned is the mapped one). */
  normalize?: (text: string) => string;
}

/**
 * The value of `pair` when it is one of `choice.values`. An empty value is reported at the key; an
 * unknown one at the value, with the closest choice as a "did you mean" and a quick fix.
 */
function parseChoice<T extends string>(checker: Checker, pair: Entry, choice: Choice<T>): T | undefined {
  const text = checker.text(pair.value, choice.key);
  if (text === undefined) {
    if (isEmptyNode(pair.value))
      checker.report(pair.key, 'error', choice.code, `\`${choice.key}\` has no value; use ${choice.use}`);
    return undefined;
  }
  const value = choice.normalize ? choice.normalize(text) : text;
  if ((choice.values as readonly string[]).includes(value)) return value as T;
  const suggestion = didYouMean(text, choice.values);
  checker.report(
    pair.value,
    'error',
    choice.code,
    `${choice.unknown} "${truncate(text)}": use ${choice.use}${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}`,
    suggestion ? { kind: 'replaceText', text: suggestion } : undefined,
  );
  return undefined;
}

const RESPONSE_FORMAT_CHOICE: Choice<ResponseFormat> = {
  key: 'responseFormat',
  values: RESPONSE_FORMATS,
  code: 'invalid-response-format',
  use: `one of ${RESPONSE_FORMATS.join(', ')}`,
  unknown: 'Invalid `responseFormat`',
};

const ROLE_CHOICE: Choice<Role> = {
  key: 'role',
  values: ROLES,
  code: 'unknown-role',
  use: 'system, user or assistant',
  unknown: 'Unknown role',
  // gh-models compared roles case-insensitively.
  normalize: (text) => text.toLowerCase(),
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJsonSchema(checker: Checker, pair: Entry): JsonSchemaSpec | undefined {
  const node = pair.value;
  let value: unknown;
  let raw: string;
  // Where to point a problem with a key inside the schema object.
  let locate: (key: string) => Range;
  if (isScalar(node) && typeof node.value === 'string') {
    raw = node.value;
    const parsed = parseJson(raw);
    if (!parsed.ok) {
      checker.report(
        checker.valueRange(node, parsed.offset, parsed.offset + 1),
        'error',
        'invalid-json',
        `\`jsonSchema\` is not valid JSON: ${parsed.message}`,
      );
      return undefined;
    }
    value = parsed.value;
    const scalar = node;
    locate = (key) => {
      // The first occurrence: top-level keys usually come before nested ones of the same name.
      const at = raw.indexOf(`"${key}"`);
      return at >= 0 ? checker.valueRange(scalar, at, at + key.length + 2) : checker.headOf(scalar);
    };
  } else if (isMap(node)) {
    // Extension: the schema written as YAML instead of a JSON string.
    value = checker.toJS(node);
    raw = JSON.stringify(value, null, 2);
    const map = node;
    locate = (key) => {
      const p = checker.pair(map, key);
      return p ? checker.rangeOf(p.key) : checker.rangeOf(pair.key);
    };
  } else {
    checker.report(
      isEmptyNode(node) ? pair.key : node,
      'error',
      'wrong-type',
      `\`jsonSchema\` must be a string holding JSON with \`name\` and \`schema\`, not ${describeNode(node)}`,
    );
    return undefined;
  }
  if (!isPlainObject(value)) {
    checker.report(
      isNode(node) ? node : pair.key,
      'error',
      'invalid-json-schema',
      '`jsonSchema` must be a JSON object with `name` and `schema`',
    );
    return undefined;
  }
  const known: readonly string[] = KEY_CONTEXTS.jsonSchema.keys;
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const suggestion = didYouMean(key, known);
    checker.report(
      locate(key),
      'warning',
      'unknown-key',
      `Unknown key \`${key}\` in \`jsonSchema\` (ignored)${suggestion ? `. Did you mean \`${suggestion}\`?` : ''}`,
    );
  }
  // A missing `name` or `schema` is reported at `jsonSchema` itself, a wrong one at its value.
  const required = (key: 'name' | 'schema', valid: boolean, expected: string): boolean => {
    if (!valid)
      checker.report(
        value[key] === undefined ? checker.rangeOf(pair.key) : locate(key),
        'error',
        'invalid-json-schema',
        `\`jsonSchema\` needs a \`${key}\` (${expected})`,
      );
    return valid;
  };
  const hasName = required('name', typeof value.name === 'string' && value.name !== '', 'text');
  const hasSchema = required('schema', isPlainObject(value.schema), 'a JSON Schema object');
  if (value.strict !== undefined && typeof value.strict !== 'boolean')
    checker.report(locate('strict'), 'warning', 'wrong-type', '`strict` in `jsonSchema` should be true or false');
  if (!hasName || !hasSchema) return undefined;
  const problem = checker.schemaCompileError(value.schema as Record<string, unknown>);
  // gh-models sent the schema unchecked (the provider judged it), so this is only a warning.
  if (problem)
    checker.report(
      locate('schema'),
      'warning',
      'invalid-json-schema',
      `\`schema\` does not compile as a JSON Schema: ${problem}`,
    );
  const spec: JsonSchemaSpec = { name: value.name as string, schema: value.schema as Record<string, unknown>, raw };
  if (typeof value.strict === 'boolean') spec.strict = value.strict;
  if (typeof value.description === 'string') spec.description = value.description;
  return spec;
}

async function parseMessages(checker: Checker, node: unknown, baseDir: string, reader: FileReader): Promise<Message[]> {
  if (!isSeq(node)) {
    checker.report(
      node,
      'error',
      'wrong-type',
      `\`messages\` must be a list of {role, content}, not ${describeNode(node)}`,
    );
    return [];
  }
  const messages: Message[] = [];
  for (const [i, item] of checker.items(node).entries()) {
    const label = `message ${i + 1}`;
    if (!isMap(item)) {
      checker.report(
        item,
        'error',
        'wrong-type',
        `Each message must be a mapping with \`role\` and \`content\`; ${label} is ${describeNode(item)}`,
      );
      continue;
    }
    checker.checkKeys(item, 'message', label);
    const role = parseRole(checker, item, label);
    const contentPair = checker.pair(item, 'content');
    if (!contentPair) {
      checker.report(checker.headOf(item), 'error', 'missing-content', `${capitalize(label)} has no \`content\``);
      continue;
    }
    const content = await parseContent(checker, contentPair, baseDir, reader, label);
    if (role === undefined || content === undefined) continue;
    const message: Message = {
      role,
      content: content.text,
      range: checker.rangeOf(item),
      contentRange: checker.rangeOf(isEmptyNode(contentPair.value) ? contentPair.key : contentPair.value),
    };
    if (content.file) message.contentFile = content.file;
    messages.push(message);
  }
  return messages;
}

function parseRole(checker: Checker, item: YAMLMap, label: string): Role | undefined {
  const pair = checker.pair(item, 'role');
  if (!pair) {
    checker.report(
      checker.headOf(item),
      'error',
      'missing-role',
      `${capitalize(label)} has no \`role\` (system, user or assistant)`,
    );
    return undefined;
  }
  return parseChoice(checker, pair, ROLE_CHOICE);
}

/**
 * Reads a file the prompt file names (relative to its folder). When it cannot be read, the error
 * is reported at `at` as "Cannot read <what> …" and the result is undefined.
 */
async function readNamedFile(
  checker: Checker,
  reader: FileReader,
  baseDir: string,
  relative: string,
  at: unknown,
  code: string,
  what: string,
): Promise<{ absolute: string; text: string } | undefined> {
  const absolute = nodePath.resolve(baseDir, relative);
  try {
    return { absolute, text: stripBom(await reader.readFile(absolute)) };
  } catch (e) {
    checker.report(at, 'error', code, `Cannot read ${what} "${relative}" (${absolute}): ${readErrorText(e)}`);
    return undefined;
  }
}

async function parseContent(
  checker: Checker,
  pair: Entry,
  baseDir: string,
  reader: FileReader,
  label: string,
): Promise<{ text: string; file?: string } | undefined> {
  const node = pair.value;
  if (isEmptyNode(node)) {
    checker.report(pair.key, 'warning', 'empty-value', `The \`content\` of ${label} is empty`);
    return { text: '' };
  }
  if (isMap(node)) {
    // Extension: content: {file: path}
    checker.checkKeys(node, 'contentFile', '`content`');
    const filePair = checker.pair(node, 'file');
    const relative = filePair ? checker.text(filePair.value, 'file') : undefined;
    if (!filePair || relative === undefined || relative.trim() === '') {
      checker.report(
        filePair ? (isEmptyNode(filePair.value) ? filePair.key : filePair.value) : node,
        'error',
        'wrong-type',
        '`content` must be text, or `{file: path}` naming a file relative to the prompt file',
      );
      return undefined;
    }
    const read = await readNamedFile(
      checker,
      reader,
      baseDir,
      relative,
      filePair.value,
      'content-file-unreadable',
      'content file',
    );
    if (!read) return undefined;
    const { absolute, text } = read;
    const fileIndex = new LineIndex(text);
    checker.templates.push({ text, file: absolute, kind: 'message', label, rangeOf: (s, e) => fileIndex.range(s, e) });
    return { text, file: relative };
  }
  const text = checker.text(node, 'content');
  if (text === undefined) return undefined;
  checker.addScalarTemplate(node, text, 'message', label);
  return { text };
}

interface LoadedTestData {
  cases: TestCase[];
  keyRanges: Map<string, { file: string; range: Range }>;
  file?: string;
}

async function parseTestData(
  checker: Checker,
  pair: Entry,
  baseDir: string,
  reader: FileReader,
): Promise<LoadedTestData> {
  const node = pair.value;
  const keyRanges = new Map<string, { file: string; range: Range }>();
  if (isEmptyNode(node)) {
    checker.report(
      pair.key,
      'warning',
      'empty-value',
      '`testData` has no value: the prompt runs once with no variables',
    );
    return { cases: [], keyRanges };
  }
  if (isSeq(node)) {
    const cases: TestCase[] = [];
    checker.forEachMapping(node, 'Each test case must be a mapping of variables', 'test case', (item, i) => {
      const vars: Record<string, unknown> = {};
      let generated: string | undefined;
      for (const p of checker.entries(item)) {
        const key = keyText(p);
        if (key === undefined) {
          checker.report(p.key ?? item, 'error', 'wrong-type', `Test case ${i + 1}: variable names must be plain text`);
          continue;
        }
        if (key === GENERATED_MARKER) {
          generated = String(checker.toJS(p.value) ?? '');
          continue;
        }
        vars[key] = checker.toJS(p.value);
        if (!keyRanges.has(key)) keyRanges.set(key, { file: checker.file, range: checker.rangeOf(p.key) });
      }
      cases.push({ index: cases.length, vars, range: checker.rangeOf(item), ...(generated ? { generated } : {}) });
    });
    return { cases, keyRanges };
  }
  if (isScalar(node) && typeof node.value === 'string') {
    // Extension: testData: path/to/cases.jsonl|json|csv|yaml|yml
    const relative = node.value;
    const format = testDataFormat(relative);
    if (!format) {
      checker.report(
        node,
        'error',
        'test-data-format',
        `Unsupported test-data file "${truncate(relative)}": use .jsonl, .json, .csv, .yaml or .yml`,
      );
      return { cases: [], keyRanges, file: relative };
    }
    const read = await readNamedFile(checker, reader, baseDir, relative, node, 'test-data-unreadable', 'test data');
    if (!read) return { cases: [], keyRanges, file: relative };
    const { absolute, text } = read;
    const loaded = parseTestDataText(absolute, text, format);
    checker.diagnostics.push(...loaded.diagnostics);
    const firstProblem = loaded.diagnostics[0];
    if (firstProblem) {
      const where = `${firstProblem.range.start.line + 1}:${firstProblem.range.start.column + 1}`;
      const count = loaded.diagnostics.length;
      checker.report(
        node,
        'error',
        'test-data-invalid',
        `${count} problem${count === 1 ? '' : 's'} in "${relative}"; first at ${where}: ${firstProblem.message}`,
      );
    }
    for (const c of loaded.cases) {
      for (const key of Object.keys(c.vars))
        if (!keyRanges.has(key)) keyRanges.set(key, { file: absolute, range: c.range });
    }
    return { cases: loaded.cases, keyRanges, file: relative };
  }
  checker.report(
    node,
    'error',
    'wrong-type',
    `\`testData\` must be a list of mappings (or a path to a .jsonl/.json/.csv/.yaml file), not ${describeNode(node)}`,
  );
  return { cases: [], keyRanges };
}

/** Read a prompt file from disk and parse it; an unreadable file becomes a diagnostic. */
export async function loadPromptFile(
  path: string,
  reader: FileReader = defaultFileReader,
  options: Omit<ParseOptions, 'parsed'> = {},
): Promise<LoadResult> {
  let text: string;
  try {
    // Editors drop a UTF-8 byte-order mark from the document; do the same so positions agree.
    text = stripBom(await reader.readFile(nodePath.resolve(path)));
  } catch (e) {
    return fileFailure(path, 'file-unreadable', `Cannot read prompt file: ${readErrorText(e)}`);
  }
  return parsePromptFile(path, text, reader, options);
}

/** A file that could not be checked at all: one error at its start, no prompt. */
function fileFailure(path: string, code: string, message: string): LoadResult {
  const range = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };
  return { diagnostics: [{ file: path, range, severity: 'error', code, message }] };
}
