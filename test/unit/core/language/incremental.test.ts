import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import { IncrementalPromptParser } from '../../../../src/core/language/incremental';
import { parsePromptDocument, type PromptDocument } from '../../../../src/core/promptfile/positions';

/** Everything a consumer of the document can see: values, node kinds, scalar styles, ranges, problems. */
function shape(parsed: PromptDocument): unknown {
  const describe = (node: unknown): unknown => {
    if (isPair(node)) return { key: describe(node.key), value: describe(node.value) };
    if (isScalar(node)) return { scalar: node.value, type: node.type, range: node.range };
    if (isMap(node)) return { map: node.items.map(describe), flow: node.flow ?? false, range: node.range };
    if (isSeq(node)) return { seq: node.items.map(describe), flow: node.flow ?? false, range: node.range };
    return node;
  };
  return {
    contents: describe(parsed.doc.contents),
    range: parsed.doc.range,
    errors: parsed.doc.errors.map((e) => [e.code, e.pos]),
    warnings: parsed.doc.warnings.map((e) => [e.code, e.pos]),
    lines: parsed.index.lineStarts,
    text: parsed.text,
  };
}

function bigFile(cases: number, extra = ''): string {
  const lines = ['# big', 'name: Big', 'model: openai/gpt-4o', 'testData:', '  # cases follow'];
  for (let i = 0; i < cases; i++) {
    lines.push(`  - id: ${i}`, `    question: "What is ${i}?"`);
    if (i % 7 === 0) lines.push('    notes: |', `      line one of ${i}`, '', `      line three`);
    if (i % 11 === 0) lines.push('', '    # a comment inside the case');
    if (i % 13 === 0) lines.push(`    tags: [a, "b c"]`, `    meta: {k: ${i}}`);
  }
  lines.push(
    'messages:',
    '  - role: user',
    '    content: "{{question}}"',
    'evaluators:',
    '  - name: e',
    '    string:',
    '      contains: x',
    extra,
  );
  return lines.join('\n');
}

void test('the pieced-together document is the same as a full parse, edit after edit', () => {
  const parser = new IncrementalPromptParser();
  let text = bigFile(600);
  assert.deepEqual(shape(parser.parse(text)), shape(parsePromptDocument(text)));
  const edits: [RegExp, string][] = [
    [/What is 300\?/, 'What is 300 exactly?'],
    [/ {2}- id: 5\n/, '  - id: 5\n    added: yes\n'],
    [/ {2}- id: 10\n {4}question: "What is 10\?"\n/, ''],
    [/name: Big/, 'name: Bigger and longer'],
    [/contains: x/, 'contains: y'],
    [/( {2}- id: 42\n)/, '$1$1'],
  ];
  for (const [pattern, replacement] of edits) {
    text = text.replace(pattern, replacement);
    assert.deepEqual(shape(parser.parse(text)), shape(parsePromptDocument(text)), `after replacing ${pattern}`);
  }
  assert.equal(parser.fullParses, 0, 'every parse was incremental');
});

void test('identical test cases get separate nodes', () => {
  const parser = new IncrementalPromptParser();
  const text = bigFile(400).replace(/ {2}- id: 1\n/, '  - id: 0\n');
  const parsed = parser.parse(text);
  assert.deepEqual(shape(parsed), shape(parsePromptDocument(text)));
  const cases =
    (parsed.doc.contents as unknown as { items: { value: { items: unknown[] } }[] }).items[2]?.value.items ?? [];
  assert.notEqual(cases[0], cases[1]);
});

void test('falls back to a full parse for what cutting could get wrong, with the same result', () => {
  const samples = [
    bigFile(600).replace('  - id: 3\n', '  - id: 3\n   bad: indentation\n'),
    bigFile(600).replace('  - id: 3\n', '  - id: &anchor 3\n'),
    bigFile(600).replace('  - id: 4\n', '  - id: 4\n    id: duplicate\n'),
    bigFile(600).replace('    question: "What is 5?"', '    question: "What is 5?'),
    bigFile(600).replace(/\n/g, '\r\n'),
    bigFile(600, '---\nsecond: document'),
    bigFile(3),
  ];
  for (const text of samples) {
    const parser = new IncrementalPromptParser();
    assert.deepEqual(shape(parser.parse(text)), shape(parsePromptDocument(text)));
    assert.equal(parser.fullParses, 1);
  }
});

void test('validation of the incremental parse reports exactly what a full parse does, edit after edit', async () => {
  const { parsePromptFile } = await import('../../../../src/core/promptfile');
  const parser = new IncrementalPromptParser();
  let text = bigFile(600, 'unknownKey: 1');
  for (let edit = 0; edit < 6; edit++) {
    text = text.replace(`question: "What is ${edit * 13}?"`, `question: "What is {{missing}} ${edit}?"`);
    const full = await parsePromptFile('/t/big.prompt.yml', text);
    const incremental = await parsePromptFile('/t/big.prompt.yml', text, undefined, { parsed: parser.parse(text) });
    assert.deepEqual(incremental.diagnostics, full.diagnostics);
    assert.deepEqual(incremental.prompt?.testData.length, full.prompt?.testData.length);
    assert.ok(full.diagnostics.length > 0);
  }
  assert.ok(parser.fullParses < 6, 'the incremental path was taken');
});
