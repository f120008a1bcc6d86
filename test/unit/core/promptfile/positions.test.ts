// Offset ↔ position conversion, node ranges, and mapping offsets inside scalar values back to the
// file (every YAML scalar style): a placeholder's diagnostic must cover exactly `{{name}}`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Document, isMap, isSeq, Scalar, type YAMLMap } from 'yaml';
import type { Diagnostic } from '../../../../src/core/model';
import { LineIndex, parsePromptDocument, rangeOfNode, scalarOffsetMapper } from '../../../../src/core/promptfile';
import { at, only, parseText, textAt } from './support';

void test('LineIndex: positions are 0-based, columns in UTF-16 units, out-of-range input is clamped', () => {
  const index = new LineIndex('ab\n😀c\r\n\nlast');
  assert.deepEqual(index.positionAt(0), { line: 0, column: 0 });
  assert.deepEqual(index.positionAt(2), { line: 0, column: 2 });
  assert.deepEqual(index.positionAt(3), { line: 1, column: 0 });
  assert.deepEqual(index.positionAt(5), { line: 1, column: 2 });
  assert.deepEqual(index.positionAt(999), { line: 3, column: 4 });
  assert.deepEqual(index.positionAt(-5), { line: 0, column: 0 });
  for (let offset = 0; offset <= index.text.length; offset++)
    assert.equal(index.offsetAt(index.positionAt(offset)), offset);
  assert.equal(index.offsetAt({ line: 0, column: 99 }), 2);
  assert.equal(index.offsetAt({ line: 99, column: 0 }), index.text.length);
  assert.deepEqual(index.lineRange(1), { start: { line: 1, column: 0 }, end: { line: 1, column: 3 } });
  assert.equal(index.lineCount, 4);
});

void test('parsePromptDocument keeps node ranges; rangeOfNode stops at the last visible character', () => {
  const text = 'model: m\nmessages:\n  - role: user\n    content: hi\n\n';
  const { doc, index, lineCounter } = parsePromptDocument(text);
  assert.deepEqual(doc.errors, []);
  assert.ok(lineCounter.lineStarts.length >= 4);
  const root = doc.contents;
  assert.ok(isMap(root));
  const messages = root.get('messages', true);
  assert.ok(isSeq(messages));
  assert.deepEqual(rangeOfNode(index, messages), { start: { line: 2, column: 2 }, end: { line: 3, column: 15 } });
  assert.deepEqual(rangeOfNode(index, root.get('model', true)), {
    start: { line: 0, column: 7 },
    end: { line: 0, column: 8 },
  });
});

const styles: [string, string][] = [
  ['plain', 'content: Hello {{name}} there'],
  ['plain, folded over lines', 'content: Hello there\n      and {{name}} again'],
  ['double-quoted with escapes before', 'content: "Tab\\t \\"q\\" \\u00e9 {{name}}"'],
  ['double-quoted over lines with an escaped break', 'content: "first \\\n      second {{name}}"'],
  ['single-quoted with a doubled quote', "content: 'it''s {{name}}'"],
  ['literal block', 'content: |\n      line one\n\n        indented more\n      then {{name}} here\n'],
  ['literal block, strip chomping', 'content: |-\n      {{name}}\n'],
  ['folded block', 'content: >\n      folded text\n      with {{name}}\n'],
  ['emoji before the placeholder', 'content: "😀 {{name}}"'],
];

for (const [style, content] of styles) {
  void test(`placeholder range maps back exactly: ${style}`, async () => {
    const text = `model: m\nmessages:\n  - role: user\n    ${content}\ntestData:\n  - other: 1\n`;
    const r = await parseText(text);
    const d = only(r.diagnostics, 'missing-variable');
    assert.equal(textAt(text, d), '{{name}}', JSON.stringify(d.range));
  });
}

void test('CRLF files: ranges are still exact', async () => {
  const text =
    'model: m\r\nmodle: x\r\nmessages:\r\n  - role: user\r\n    content: |\r\n      Hi {{name}}\r\ntestData:\r\n  - other: 1\r\n';
  const r = await parseText(text);
  assert.deepEqual(at(only(r.diagnostics, 'unknown-key')), [1, 0, 1, 5]);
  const d = only(r.diagnostics, 'missing-variable');
  assert.deepEqual(at(d), [5, 9, 5, 17]);
  assert.equal(textAt(text, d as Diagnostic), '{{name}}');
});

void test('scalar offset maps: every letter of a value maps to the same letter in the file, for every style', () => {
  const random = (() => {
    let a = 0x51a1a;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  })();
  const alphabet = [
    'a',
    'b',
    'Z',
    '7',
    ' ',
    ' ',
    '  ',
    '\n',
    '\n\n',
    '"',
    "'",
    ':',
    '#',
    '\\',
    '{{',
    '}}',
    '-',
    '\t',
    'é',
  ];
  const styles = [
    Scalar.PLAIN,
    Scalar.QUOTE_DOUBLE,
    Scalar.QUOTE_SINGLE,
    Scalar.BLOCK_LITERAL,
    Scalar.BLOCK_FOLDED,
  ] as const;
  let checked = 0;
  let skipped = 0;
  for (let i = 0; i < 400; i++) {
    let value = '';
    const length = 1 + Math.floor(random() * 30);
    for (let k = 0; k < length; k++) value += alphabet[Math.floor(random() * alphabet.length)];
    const scalar = new Scalar(value);
    scalar.type = styles[i % styles.length];
    const doc = new Document({ key: scalar });
    const text = `model: m\n${doc.toString({ lineWidth: 20, minContentWidth: 5 })}`;
    const parsed = parsePromptDocument(text).doc;
    const node = (parsed.contents as YAMLMap).get('key', true) as Scalar;
    // The yaml library cannot write every value in every style (it may fold a line break away);
    // only values that survive the round trip say anything about the mapping.
    if (node.value !== value) {
      skipped++;
      continue;
    }
    const map = scalarOffsetMapper(text, node);
    for (let k = 0; k < value.length; k++) {
      if (!/[a-zA-Z0-9é]/.test(value[k] ?? '')) continue;
      assert.equal(
        text[map(k)],
        value[k],
        `offset ${k} of ${JSON.stringify(value)} (${String(node.type)}) maps to ${map(k)}:\n${text}`,
      );
      checked++;
    }
  }
  assert.ok(checked > 1000 && skipped < 40, `${checked} letters checked, ${skipped} values skipped`);
});
