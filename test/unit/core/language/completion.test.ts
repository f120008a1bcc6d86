import assert from 'node:assert/strict';
import { test } from 'node:test';
import { complete, modelIdsFromConfig, promptSchemaDocs, type CompletionEntry } from '../../../../src/core/language';
import { emptyProviderConfig } from '../../../../src/core/providers/config';
import { parsePromptFile } from '../../../../src/core/promptfile';

/** Completes at the `§` in `marked`. */
function completeAt(marked: string, options: Parameters<typeof complete>[2] = {}): CompletionEntry[] {
  const at = cursorOffset(marked);
  const text = marked.slice(0, at) + marked.slice(at + 1);
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  const column = at - (before.lastIndexOf('\n') + 1);
  return complete(text, { line, column }, { docs: promptSchemaDocs, ...options });
}

function cursorOffset(marked: string): number {
  const at = marked.indexOf('§');
  if (at < 0) throw new Error('no cursor');
  return at;
}

const labels = (entries: CompletionEntry[]) => entries.map((e) => e.label);

void test('top level: the known keys not yet present, documented from the schema', () => {
  const entries = completeAt('name: x\nmodel: openai/gpt-4o\n§\nmessages:\n  - role: user\n    content: hi\n');
  assert.deepEqual(labels(entries), [
    'description',
    'modelParameters',
    'responseFormat',
    'jsonSchema',
    'testData',
    'evaluators',
    'repeat',
  ]);
  const modelParameters = entries.find((e) => e.label === 'modelParameters');
  assert.equal(modelParameters?.documentation, promptSchemaDocs.infoAt(['modelParameters'])?.description);
  assert.ok(modelParameters?.documentation, 'the schema documents modelParameters');
  assert.equal(modelParameters?.insertText, 'modelParameters:\n  $0');
  assert.deepEqual(modelParameters?.range, { start: { line: 2, column: 0 }, end: { line: 2, column: 0 } });
});

void test('keys replace the half-typed word', () => {
  const entries = completeAt('modelParameters:\n  temp§\n');
  assert.ok(labels(entries).includes('temperature'));
  assert.ok(labels(entries).includes('maxTokens'));
  assert.deepEqual(entries[0]?.range, { start: { line: 1, column: 2 }, end: { line: 1, column: 6 } });
});

void test('message item keys, and role values after `role:`', () => {
  assert.deepEqual(labels(completeAt('messages:\n  - role: user\n    §\n')), ['content']);
  assert.deepEqual(labels(completeAt('messages:\n  - §\n')), ['role', 'content']);
  const roles = completeAt('messages:\n  - role: §\n');
  assert.deepEqual(labels(roles), ['system', 'user', 'assistant']);
  assert.equal(roles[0]?.insertText, 'system');
  // Right after the colon the value needs its space.
  assert.equal(completeAt('messages:\n  - role:§\n')[0]?.insertText, ' system');
  // Inside quotes only the text between them is replaced.
  const quoted = completeAt('messages:\n  - role: "us§"\n');
  assert.deepEqual(quoted[0]?.range, { start: { line: 1, column: 11 }, end: { line: 1, column: 13 } });
});

void test('evaluator keys, string criteria, llm keys and built-in judges', () => {
  const evaluatorKeys = completeAt('evaluators:\n  - name: a\n    §\n');
  assert.ok(['string', 'llm', 'uses', 'regex'].every((k) => labels(evaluatorKeys).includes(k)));
  assert.ok(!labels(evaluatorKeys).includes('name'));
  assert.equal(evaluatorKeys.find((e) => e.label === 'string')?.kind, 'evaluator');
  assert.equal(
    evaluatorKeys.find((e) => e.label === 'string')?.insertText,
    'string:\n      ${1|equals,contains,startsWith,endsWith|}: $0',
  );
  assert.deepEqual(labels(completeAt('evaluators:\n  - name: a\n    string:\n      §\n')), [
    'equals',
    'contains',
    'startsWith',
    'endsWith',
  ]);
  const llmKeys = labels(completeAt('evaluators:\n  - name: a\n    llm:\n      modelId: x\n      §\n'));
  assert.ok(llmKeys.includes('prompt') && llmKeys.includes('choices') && !llmKeys.includes('modelId'));
  assert.deepEqual(labels(completeAt('evaluators:\n  - name: a\n    uses: §\n')), [
    'github/similarity',
    'github/coherence',
    'github/fluency',
    'github/relevance',
    'github/groundedness',
  ]);
});

void test('responseFormat values and model ids from the list passed in', () => {
  assert.deepEqual(labels(completeAt('responseFormat: §\n')), ['text', 'json_object', 'json_schema']);
  const models = completeAt('model: open§\n', { modelIds: ['openai/gpt-4o', 'ollama/llama3'] });
  assert.deepEqual(labels(models), ['openai/gpt-4o', 'ollama/llama3']);
  assert.deepEqual(models[0]?.range, { start: { line: 0, column: 7 }, end: { line: 0, column: 11 } });
  assert.deepEqual(labels(completeAt('evaluators:\n  - name: j\n    llm:\n      modelId: §\n', { modelIds: ['m1'] })), [
    'm1',
  ]);
});

void test('variables after {{ come from the test cases; `completion` only in judge prompts', () => {
  const text = 'testData:\n  - input: a\n    expected: b\nmessages:\n  - role: user\n    content: |\n      Say {{§\n';
  const entries = completeAt(text);
  assert.deepEqual(labels(entries), ['input', 'expected']);
  assert.equal(entries[0]?.insertText, 'input}}');
  assert.deepEqual(entries[0]?.range, { start: { line: 6, column: 12 }, end: { line: 6, column: 12 } });
  const closed = completeAt('testData:\n  - input: a\nmessages:\n  - role: user\n    content: "{{ in§put }}"\n');
  assert.equal(closed[0]?.insertText, 'input');
  assert.deepEqual(closed[0]?.range, { start: { line: 4, column: 17 }, end: { line: 4, column: 22 } });
  const judge = completeAt('testData:\n  - input: a\nevaluators:\n  - name: j\n    llm:\n      prompt: "Rate {{§"\n');
  assert.ok(labels(judge).includes('completion'));
  assert.ok(!labels(entries).includes('completion'));
});

void test('variables also come from an external test-data file via the validated model', async () => {
  const text = 'testData: cases.jsonl\nmessages:\n  - role: user\n    content: "{{"\n';
  const reader = { readFile: () => Promise.resolve('{"question": "q1", "lang": "en"}\n') };
  const loaded = await parsePromptFile('/w/a.prompt.yml', text, reader);
  assert.ok(loaded.prompt);
  const entries = complete(text, { line: 3, column: 16 }, { prompt: loaded.prompt });
  assert.deepEqual(labels(entries), ['question', 'lang']);
});

void test('inside a test case: the variables the prompt uses that the case lacks', () => {
  const text = 'messages:\n  - role: user\n    content: "{{input}} in {{lang}}"\ntestData:\n  - input: a\n    §\n';
  const entries = completeAt(text);
  assert.deepEqual(labels(entries), ['lang']);
  assert.equal(entries[0]?.insertText, 'lang: $0');
});

void test('nothing is offered inside a block scalar without {{, nor under unknown keys', () => {
  assert.deepEqual(completeAt('messages:\n  - role: user\n    content: |\n      Hello wor§\n'), []);
  assert.deepEqual(completeAt('custom:\n  §\n'), []);
});

void test('model ids from a provider configuration: explicit routes and model lists, not globs', () => {
  const config = emptyProviderConfig();
  config.providers.local = { name: 'local', preset: 'ollama', models: ['llama3.1:8b', 'qwen*'] };
  config.models['openai/gpt-4o'] = { provider: 'local' };
  config.judgeModel = 'openai/gpt-4o-mini';
  assert.deepEqual(modelIdsFromConfig(config).sort(), ['llama3.1:8b', 'openai/gpt-4o', 'openai/gpt-4o-mini']);
});

/** The text a snippet inserts when every placeholder keeps its default (VS Code's snippet syntax, the parts used here). */
function expandSnippet(snippet: string): string {
  return snippet
    .replace(/\$\{\d+:((?:\\.|[^\\}])*)\}/g, (_, value: string) => value)
    .replace(/\$\d+/g, '')
    .replace(/\\([$}\\])/g, '$1');
}

void test('accepting the llm evaluator completion inserts placeholder values that validate', async () => {
  const before =
    'testData:\n  - input: hi\nmessages:\n  - role: user\n    content: "{{input}}"\nevaluators:\n  - name: judge\n    ';
  const llm = completeAt(`${before}§\n`).find((e) => e.label === 'llm');
  assert.ok(llm?.insertText, 'an llm completion');
  const text = `${before}${expandSnippet(llm.insertText)}\n`;
  assert.match(text, /modelId: openai\/gpt-4o-mini\n/);
  assert.match(text, /\{\{completion\}\}/);
  const loaded = await parsePromptFile('/w/a.prompt.yml', text, {
    readFile: () => Promise.reject(new Error('no files')),
  });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, [], text);
  assert.equal(loaded.prompt?.evaluators[0]?.kind, 'llm');
});
