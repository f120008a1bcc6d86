// Every validation rule, with the exact range it points at (broken fixtures in test/fixtures/broken/).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import type { Diagnostic, LoadResult } from '../../../../src/core/model';
import { loadPromptFile } from '../../../../src/core/promptfile';
import { at, codes, errors, fixture, only, parseText, textAt } from './support';

interface Loaded extends LoadResult {
  text: string;
  /** Diagnostics with `code`, in order. */
  all(code: string): Diagnostic[];
  one(code: string): Diagnostic;
}

async function broken(name: string): Promise<Loaded> {
  const file = fixture('broken', name);
  const result = await loadPromptFile(file);
  for (const d of result.diagnostics) assert.equal(d.file, file);
  return {
    ...result,
    text: fs.readFileSync(file, 'utf8'),
    all: (code) => result.diagnostics.filter((d) => d.code === code),
    one: (code) => only(result.diagnostics, code),
  };
}

void test('unknown keys: warning at the key with did-you-mean and a replaceKey fix, at every level', async () => {
  const r = await broken('typos.prompt.yml');
  const unknown = r.all('unknown-key');
  assert.deepEqual(
    unknown.map((d) => [textAt(r.text, d), d.severity, d.fix]),
    [
      ['modle', 'warning', { kind: 'replaceKey', replacement: 'model' }],
      ['temprature', 'warning', { kind: 'replaceKey', replacement: 'temperature' }],
      ['rol', 'warning', { kind: 'replaceKey', replacement: 'role' }],
      ['contain', 'warning', { kind: 'replaceKey', replacement: 'contains' }],
      ['nmae', 'warning', { kind: 'replaceKey', replacement: 'name' }],
      ['scroe', 'warning', { kind: 'replaceKey', replacement: 'score' }],
    ],
  );
  assert.deepEqual(at(unknown[0] as Diagnostic), [1, 0, 1, 5]);
  assert.match(unknown[0]?.message ?? '', /Did you mean `model`\?/);
  // The misspelled key is ignored, as gh-models ignored unknown keys.
  assert.equal(r.prompt?.model, undefined);
  assert.deepEqual(r.prompt?.modelParameters, {});
  // The choice lacking its (misspelled) score is an error at the choice.
  assert.equal(textAt(r.text, r.one('missing-field')), 'choice');
});

void test('an unknown key far from any known one gets no suggestion but lists the known keys', async () => {
  const r = await parseText('model: m\nfrobnicate: 1\nmessages:\n  - role: user\n    content: x\n');
  const d = only(r.diagnostics, 'unknown-key');
  assert.equal(d.fix, undefined);
  assert.deepEqual(at(d), [1, 0, 1, 10]);
  assert.match(d.message, /Known keys: name, description, model/);
});

void test('wrong types are errors at the value; out-of-range sampling values are warnings', async () => {
  const r = await broken('wrong-types.prompt.yml');
  assert.deepEqual(
    r.diagnostics.map((d) => [d.severity, d.code, textAt(r.text, d)]),
    [
      ['error', 'wrong-type', 'hot'],
      ['error', 'wrong-type', '1.5'],
      ['warning', 'out-of-range', '3'],
      ['error', 'wrong-type', '{b: c}'],
      ['error', 'out-of-range', '0'],
      ['error', 'wrong-type', '"hello"'],
    ],
  );
  assert.match(r.diagnostics[0]?.message ?? '', /`temperature` must be a number, not text "hot"/);
  assert.deepEqual(at(r.diagnostics[0] as Diagnostic), [2, 15, 2, 18]);
  assert.deepEqual(r.prompt?.modelParameters, { topP: 3, stop: ['a'] });
  assert.equal(r.prompt?.repeat, 1);
  assert.deepEqual(r.prompt?.messages, []);
});

void test('roles: case-insensitive; unknown role is an error at the value (with did-you-mean)', async () => {
  const r = await broken('roles.prompt.yml');
  assert.deepEqual(
    r.prompt?.messages.map((m) => m.role),
    ['system'],
  );
  const unknown = r.all('unknown-role');
  assert.deepEqual(
    unknown.map((d) => [textAt(r.text, d), d.fix]),
    [
      ['usr', { kind: 'replaceText', text: 'user' }],
      ['robot', undefined],
    ],
  );
  assert.deepEqual(at(unknown[0] as Diagnostic), [4, 10, 4, 13]);
  assert.deepEqual(at(r.one('missing-role')), [8, 4, 8, 11]);
  assert.match(r.one('missing-role').message, /Message 4 has no `role`/);
  assert.deepEqual(at(r.one('missing-content')), [9, 4, 9, 8]);
  assert.equal(textAt(r.text, r.one('wrong-type')), 'just a string');
  assert.ok(errors(r.diagnostics).length === 5);
});

void test('invalid responseFormat is an error at the value with a fix', async () => {
  const r = await broken('response-format.prompt.yml');
  const d = r.one('invalid-response-format');
  assert.equal(d.severity, 'error');
  assert.deepEqual(at(d), [1, 16, 1, 28]);
  assert.deepEqual(d.fix, { kind: 'replaceText', text: 'json_schema' });
  assert.equal(r.prompt?.responseFormat, undefined);
});

void test('responseFormat json_schema without jsonSchema is an error at the responseFormat value', async () => {
  const r = await broken('json-schema-missing.prompt.yml');
  const d = r.one('missing-json-schema');
  assert.equal(d.severity, 'error');
  assert.equal(textAt(r.text, d), 'json_schema');
});

void test('jsonSchema without name/schema: errors; unknown keys inside the JSON string: warning at the key', async () => {
  const r = await broken('json-schema-fields.prompt.yml');
  assert.deepEqual(
    r.all('invalid-json-schema').map((d) => [d.severity, textAt(r.text, d), d.message]),
    [
      ['error', 'jsonSchema', '`jsonSchema` needs a `name` (text)'],
      ['error', 'jsonSchema', '`jsonSchema` needs a `schema` (a JSON Schema object)'],
    ],
  );
  const unknown = r.one('unknown-key');
  assert.equal(textAt(r.text, unknown), '"shema"');
  assert.deepEqual(at(unknown), [5, 4, 5, 11]);
  assert.equal(r.prompt?.jsonSchema, undefined);
});

void test('invalid JSON inside a |- block: error at the exact character in the file', async () => {
  const r = await broken('json-schema-bad-json.prompt.yml');
  const d = r.one('invalid-json');
  assert.deepEqual(at(d), [7, 48, 7, 49]);
  assert.equal(textAt(r.text, d), '}');
  assert.match(d.message, /Expected a double-quoted property name/);
});

void test('invalid JSON inside a double-quoted string (with escapes): mapped to the character in the file', async () => {
  const r = await broken('json-schema-quoted.prompt.yml');
  const d = r.one('invalid-json');
  assert.equal(textAt(r.text, d), 'o');
  assert.equal(r.text.split('\n')[2]?.slice(d.range.start.column, d.range.start.column + 4), 'oops');
});

void test('invalid JSON in a single-quoted and in a folded multi-line plain scalar is located too', async () => {
  const single =
    "model: m\nresponseFormat: json_schema\njsonSchema: '{\"name\": ''x'', \"schema\": {}}'\nmessages:\n  - role: user\n    content: x\n";
  const r1 = await parseText(single);
  const d1 = only(r1.diagnostics, 'invalid-json');
  assert.equal(textAt(single, d1), "'");
  assert.deepEqual(at(d1), [2, 22, 2, 23]);
  const folded =
    'model: m\nresponseFormat: json_schema\njsonSchema: {"name": "x",\n  "schema": {}, ]}\nmessages:\n  - role: user\n    content: x\n';
  const r2 = await parseText(folded.replace('jsonSchema: {', 'jsonSchema: >-\n  {'));
  const d2 = only(r2.diagnostics, 'invalid-json');
  assert.equal(textAt(folded.replace('jsonSchema: {', 'jsonSchema: >-\n  {'), d2), ']');
});

void test('evaluator rules: kinds, criteria, duplicates, regex, builtins, llm, schema, bounds', async () => {
  const r = await broken('evaluators.prompt.yml');
  const summary = r.diagnostics.map((d) => [d.severity, d.code, textAt(r.text, d)]);
  assert.deepEqual(summary, [
    ['error', 'evaluator-without-kind', 'name'],
    ['error', 'missing-criterion', 'string'],
    ['warning', 'ignored-criterion', 'startsWith'],
    ['warning', 'duplicate-evaluator-name', 'dup'],
    ['error', 'invalid-regex', '"([a-z]+"'],
    ['error', 'invalid-regex', '"gz"'],
    ['warning', 'unknown-builtin', 'github/similarty'],
    ['error', 'missing-field', 'llm'],
    ['error', 'invalid-json-schema', 'jsonSchema'],
    ['error', 'out-of-range', '2'],
    ['error', 'wrong-type', 'fast'],
    ['error', 'missing-json-schema', 'jsonSchema'],
    ['warning', 'missing-evaluator-name', 'json'],
    ['warning', 'ignored-evaluator-kind', 'json'],
  ]);
  assert.deepEqual(at(r.one('duplicate-evaluator-name')), [13, 10, 13, 13]);
  assert.deepEqual(r.one('unknown-builtin').fix, { kind: 'replaceText', text: 'github/similarity' });
  assert.match(r.one('evaluator-without-kind').message, /none of `string`, `llm` or `uses`/);
  // What is valid is kept: dup(string contains a), dup(notContains), unknown builtin (fails at run time like gh-models), evaluator 13, two-kinds(notContains).
  assert.deepEqual(
    r.prompt?.evaluators.map((e) => [e.name, e.kind]),
    [
      ['dup', 'string'],
      ['dup', 'notContains'],
      ['unknown-builtin', 'builtin'],
      ['evaluator 13', 'json'],
      ['two-kinds', 'notContains'],
    ],
  );
});

void test('missing variables: warning at the placeholder naming the 1-based case, with an addVariable fix', async () => {
  const r = await broken('variables.prompt.yml');
  const missing = r.all('missing-variable');
  assert.deepEqual(
    missing.map((d) => [textAt(r.text, d), d.fix]),
    [
      ['{{persona}}', { kind: 'addVariable', variable: 'persona' }],
      ['{{keyword}}', { kind: 'addVariable', variable: 'keyword' }],
      ['github/similarity', { kind: 'addVariable', variable: 'expected' }],
    ],
  );
  assert.deepEqual(at(missing[0] as Diagnostic), [3, 21, 3, 32]);
  assert.match(missing[0]?.message ?? '', /has no value in test case 2 \(of 2\)/);
  assert.match(missing[1]?.message ?? '', /test cases 1 and 2 \(of 2\)/);
  // {{completion}} in a judge prompt is supplied by the runner, never "missing".
  assert.ok(!missing.some((d) => d.message.includes('completion')));
});

void test('spaced placeholders: info with a fix to the gh-models form; unused test-data keys: info at the key', async () => {
  const r = await broken('variables.prompt.yml');
  const spaced = r.one('spaced-placeholder');
  assert.equal(spaced.severity, 'info');
  assert.equal(textAt(r.text, spaced), '{{ context }}');
  assert.deepEqual(at(spaced), [7, 15, 7, 28]);
  assert.deepEqual(spaced.fix, { kind: 'replaceText', text: '{{context}}' });
  const unused = r.one('unused-variable');
  assert.equal(unused.severity, 'info');
  assert.equal(textAt(r.text, unused), 'unused_key');
});

void test('no testData: placeholders are not reported missing (gh-models sends them as written)', async () => {
  const r = await loadPromptFile(fixture('gh-models-examples', 'template_variables_prompt.prompt.yml'));
  assert.deepEqual(codes(r.diagnostics), []);
});

void test('`expected` counts as used by github/similarity and github/groundedness', async () => {
  const r = await loadPromptFile(fixture('gh-models-examples', 'test_builtins.prompt.yml'));
  assert.deepEqual(r.diagnostics, []);
});

void test('YAML syntax errors: error at the parser position; the rest of the file is still read', async () => {
  const r = await broken('yaml-syntax.prompt.yml');
  const d = r.one('yaml-syntax');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /^YAML: Missing closing "quote/);
  assert.equal(r.prompt?.model, 'openai/gpt-4o');
  const indent = await broken('bad-indent.prompt.yml');
  const first = indent.all('yaml-syntax')[0] as Diagnostic;
  assert.equal(first.range.start.line, 2);
});

void test('empty file, a list at the top, and no messages', async () => {
  const empty = await broken('empty.prompt.yml');
  assert.equal(empty.prompt, undefined);
  assert.deepEqual(codes(empty.diagnostics), ['empty-file']);
  const list = await broken('list-root.prompt.yml');
  assert.equal(list.prompt, undefined);
  assert.deepEqual(at(list.one('not-a-mapping')).slice(0, 2), [0, 0]);
  const none = await broken('no-messages.prompt.yml');
  assert.equal(textAt(none.text, none.one('missing-messages')), 'name');
});

void test('a file that cannot be read is a diagnostic, not an exception', async () => {
  const r = await loadPromptFile(fixture('broken', 'does-not-exist.prompt.yml'));
  assert.equal(r.prompt, undefined);
  assert.equal(only(r.diagnostics, 'file-unreadable').severity, 'error');
  assert.match(r.diagnostics[0]?.message ?? '', /file not found/);
});

void test('non-string scalars in text fields keep their source text (as gh-models decoded them)', async () => {
  const r = await parseText(
    'name: 1.0\nmodel: m\nmessages:\n  - role: user\n    content: 007\nevaluators:\n  - name: n\n    string:\n      equals: 1.50\n',
  );
  assert.equal(r.prompt?.name, '1.0');
  assert.equal(r.prompt?.messages[0]?.content, '007');
  const e = r.prompt?.evaluators[0];
  assert.deepEqual(e?.kind === 'string' && e.value, '1.50');
});

void test('jsonSchema given but responseFormat is not json_schema: warning that it is ignored', async () => {
  const r = await parseText(
    'model: m\njsonSchema: \'{"name": "a", "schema": {}}\'\nmessages:\n  - role: user\n    content: x\n',
  );
  const d = only(r.diagnostics, 'unused-json-schema');
  assert.equal(d.severity, 'warning');
  assert.deepEqual(at(d), [1, 0, 1, 10]);
  assert.equal(r.prompt?.jsonSchema?.name, 'a');
});

void test('duplicate keys: error covering the repeated key', async () => {
  const text = 'model: a\nmessages:\n  - role: user\n    content: x\nmodel: b\n';
  const r = await parseText(text);
  const d = only(r.diagnostics, 'duplicate-key');
  assert.equal(d.severity, 'error');
  assert.deepEqual(at(d), [4, 0, 4, 5]);
  assert.match(d.message, /Duplicate key `model`/);
});

void test('an empty messages list is an error at the list', async () => {
  const text = 'model: a\nmessages: []\n';
  const r = await parseText(text);
  assert.equal(textAt(text, only(r.diagnostics, 'missing-messages')), '[]');
});

void test('a UTF-8 byte-order mark is dropped, so positions match the editor', async () => {
  const file = fixture('extensions', 'inline.prompt.yml');
  const text = '\ufeffmodel: a\nmodle: b\nmessages:\n  - role: user\n    content: x\n';
  const reader = { readFile: async () => text };
  const r = await loadPromptFile(file, reader);
  assert.deepEqual(at(only(r.diagnostics, 'unknown-key')), [1, 0, 1, 5]);
  assert.equal(r.prompt?.text.charCodeAt(0), 'm'.charCodeAt(0));
});

void test('diagnostics come in text order, the prompt file first', async () => {
  const r = await loadPromptFile(fixture('extensions', 'testdata-bad-line.prompt.yml'));
  const files = r.diagnostics.map((d) => d.file);
  assert.equal(files[0], fixture('extensions', 'testdata-bad-line.prompt.yml'));
  const lines = r.diagnostics.filter((d) => d.file === files[1]).map((d) => d.range.start.line);
  assert.deepEqual(
    lines,
    [...lines].sort((a, b) => a - b),
  );
});

void test("anchors, aliases and << merge keys are resolved as gh-models' YAML reader did", async () => {
  const text = [
    'model: m',
    'messages:',
    '  - role: system',
    '    content: &sys You are terse.',
    '  - role: user',
    '    content: "{{a}} {{b}}"',
    'testData:',
    '  - &base',
    '    a: 1',
    '    b: &bee two',
    '  - <<: *base',
    '    a: 2',
    '  - a: 3',
    '    b: *bee',
    'evaluators:',
    '  - &check',
    '    name: first',
    '    string: {contains: "{{b}}"}',
    '  - <<: *check',
    '    name: second',
    '',
  ].join('\n');
  const r = await parseText(text);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(
    r.prompt?.testData.map((c) => c.vars),
    [
      { a: 1, b: 'two' },
      { a: 2, b: 'two' },
      { a: 3, b: 'two' },
    ],
  );
  assert.deepEqual(
    r.prompt?.evaluators.map((e) => [e.name, e.kind]),
    [
      ['first', 'string'],
      ['second', 'string'],
    ],
  );
  const aliased = await parseText('model: m\nx: &c hello\nmessages:\n  - role: user\n    content: *c\n');
  assert.equal(aliased.prompt?.messages[0]?.content, 'hello');
});

void test('alias bombs and self-referencing aliases are diagnostics, not hangs or crashes', async () => {
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++)
    levels.push(
      `${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(10)
        .fill(`*${'abcdefghi'[i - 1]}`)
        .join(',')}]`,
    );
  const bomb = `model: m\nmessages:\n  - role: user\n    content: x\ntestData:\n  - ${levels.join('\n    ')}\n`;
  const r = await parseText(bomb);
  assert.ok(
    r.diagnostics.some((d) => d.severity === 'error'),
    JSON.stringify(r.diagnostics),
  );
  assert.ok(!codes(r.diagnostics).includes('internal-error'));
  const cyclic = await parseText('model: m\nmessages: &m\n  - *m\n');
  assert.ok(!codes(cyclic.diagnostics).includes('internal-error'));
  assert.ok(errors(cyclic.diagnostics).length > 0);
});

void test("keys starting with x- are the user's own and never reported", async () => {
  const r = await parseText(
    'x-persona: &p Terse.\nmodel: m\nmessages:\n  - role: system\n    content: *p\n    x-note: kept for humans\n',
  );
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.prompt?.messages[0]?.content, 'Terse.');
});

void test('an unquoted value starting with [ or { is a list/mapping to YAML: the error says to quote it', async () => {
  const head = 'name: x\nmessages:\n  - role: user\n    content: hi\nevaluators:\n  - name: e\n    string:\n';
  const list = `${head}      contains: [[x: 1]]  # the text I mean\n`;
  const wrong = only((await parseText(list)).diagnostics, 'wrong-type');
  assert.match(wrong.message, /must be text, not a list: .*quote it to make it text: "\[\[x: 1\]\]"$/);
  assert.equal(textAt(list, wrong), '[[x: 1]]');
  assert.deepEqual(wrong.fix, { kind: 'replaceText', text: '"[[x: 1]]"' });
  // With text after the list, YAML fails outright; both errors name the whole value, quoted.
  const more = `${head}      contains: [[x: 1]] and more\n`;
  const diagnostics = (await parseText(more)).diagnostics;
  assert.match(only(diagnostics, 'yaml-syntax').message, /to make it text, quote it: "\[\[x: 1\]\] and more"$/);
  const partial = only(diagnostics, 'wrong-type');
  assert.match(partial.message, /quote it to make it text: "\[\[x: 1\]\] and more"$/);
  assert.equal(partial.fix, undefined, 'no one-click fix that would quote only part of the value');
});

void test('an unknown or empty choice (responseFormat, role) names the choices and the closest one', async () => {
  const r = await parseText(
    'model: m\nresponseFormat: json_objct\nmessages:\n  - role: Usr\n    content: a\n  - role: System\n    content: b\n  - role:\n    content: c\n',
  );
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.message, d.fix]),
    [
      [
        'invalid-response-format',
        'Invalid `responseFormat` "json_objct": use one of text, json_object, json_schema (did you mean `json_object`?)',
        { kind: 'replaceText', text: 'json_object' },
      ],
      [
        'unknown-role',
        'Unknown role "Usr": use system, user or assistant (did you mean `user`?)',
        { kind: 'replaceText', text: 'user' },
      ],
      ['unknown-role', '`role` has no value; use system, user or assistant', undefined],
    ],
  );
  const empty = await parseText('model: m\nresponseFormat:\nmessages:\n  - role: user\n    content: a\n');
  assert.deepEqual(
    empty.diagnostics.map((d) => [d.code, d.message, at(d)]),
    [
      [
        'invalid-response-format',
        '`responseFormat` has no value; use one of text, json_object, json_schema',
        [1, 0, 1, 14],
      ],
    ],
  );
});

void test('a content file or test-data file that cannot be read is named with its full path', async () => {
  const r = await parseText(
    'model: m\ntestData: no-such-cases.jsonl\nmessages:\n  - role: user\n    content: {file: no-such-content.txt}\n',
  );
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.message, at(d)]),
    [
      [
        'test-data-unreadable',
        `Cannot read test data "no-such-cases.jsonl" (${fixture('extensions', 'no-such-cases.jsonl')}): file not found`,
        [1, 10, 1, 29],
      ],
      [
        'content-file-unreadable',
        `Cannot read content file "no-such-content.txt" (${fixture('extensions', 'no-such-content.txt')}): file not found`,
        [4, 20, 4, 39],
      ],
    ],
  );
});
