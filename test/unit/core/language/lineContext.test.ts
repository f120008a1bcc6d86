import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cursorContext, parseLine, StructureScanner } from '../../../../src/core/language/lineContext';

/** Text with a `|` marking the cursor; returns the lines without it and the cursor position. */
function withCursor(marked: string): { lines: string[]; line: number; column: number } {
  const lines = marked.split('\n');
  const line = lines.findIndex((l) => l.includes('|') && !/:\s*\|\s*$/.test(l));
  const column = (lines[line] ?? '').indexOf('|');
  lines[line] = (lines[line] ?? '').replace('|', '');
  return { lines, line, column };
}

const context = (marked: string) => {
  const { lines, line, column } = withCursor(marked);
  return cursorContext(lines, line, column);
};

void test('parseLine splits indentation, item dashes, key and value (comment dropped)', () => {
  assert.deepEqual(parseLine('  - role: system # first'), {
    indent: 2,
    dashes: [2],
    contentColumn: 4,
    empty: false,
    key: { text: 'role', start: 4, end: 8, colon: 8 },
    value: { text: 'system', start: 10, end: 16 },
  });
  assert.equal(parseLine('url: http://x:8080/a#frag').value?.text, 'http://x:8080/a#frag');
  assert.equal(parseLine(`"quoted key": 'it''s # not a comment'`).key?.text, 'quoted key');
  assert.equal(parseLine(`"quoted key": 'it''s # not a comment'`).value?.text, `'it''s # not a comment'`);
  assert.equal(parseLine('   # only a comment').empty, true);
});

void test('top-level key position, with keys already present (before and after) listed', () => {
  const c = context('name: x\nmo|\nmessages:\n  - role: user\n    content: hi\ntestData: []');
  assert.equal(c.kind, 'key');
  if (c.kind !== 'key') return;
  assert.deepEqual(c.path, []);
  assert.equal(c.prefix, 'mo');
  assert.equal(c.start, 0);
  assert.deepEqual(c.existingKeys.sort(), ['messages', 'name', 'testData']);
});

void test('a new key inside a list item, and a new item', () => {
  const inItem = context('messages:\n  - role: user\n    |\n');
  assert.equal(inItem.kind, 'key');
  if (inItem.kind === 'key') {
    assert.deepEqual(inItem.path, ['messages', 0]);
    assert.deepEqual(inItem.existingKeys, ['role']);
  }
  const second = context('messages:\n  - role: user\n    content: a\n  - |');
  assert.equal(second.kind, 'key');
  if (second.kind === 'key') {
    assert.deepEqual(second.path, ['messages', 1]);
    assert.equal(second.inNewItem, true);
    assert.deepEqual(second.existingKeys, []);
  }
});

void test('compact sequences (items at the parent key column) and nested evaluator blocks', () => {
  const c = context('evaluators:\n- name: a\n  string:\n    contains: x\n- name: b\n  llm:\n    |');
  assert.equal(c.kind, 'key');
  if (c.kind === 'key') assert.deepEqual(c.path, ['evaluators', 1, 'llm']);
  const criteria = context('evaluators:\n  - name: a\n    string:\n      con|');
  assert.equal(criteria.kind, 'key');
  if (criteria.kind === 'key') assert.deepEqual(criteria.path, ['evaluators', 0, 'string']);
});

void test('value position after a key on the same line', () => {
  const c = context('messages:\n  - role: sy|');
  assert.equal(c.kind, 'value');
  if (c.kind === 'value') {
    assert.deepEqual(c.path, ['messages', 0, 'role']);
    assert.equal(c.key, 'role');
    assert.equal(c.prefix, 'sy');
    assert.equal(c.start, 10);
  }
});

void test('inside a block scalar the cursor is in text, and the block ends at a shallower line', () => {
  const text = context('messages:\n  - role: user\n    content: |\n      Hello {{na|\n');
  assert.deepEqual(text, { kind: 'text', path: ['messages', 0, 'content'] });
  const after = context('messages:\n  - role: user\n    content: |\n      Hello\n      world\n    |');
  assert.equal(after.kind, 'key');
  if (after.kind === 'key') assert.deepEqual(after.path, ['messages', 0]);
});

void test('the scanner ignores lines inside block scalars that look like keys', () => {
  const scanner = new StructureScanner();
  const lines = [
    'messages:',
    '  - role: user',
    '    content: |',
    '      role: system',
    '      - not: an item',
    '  - role: assistant',
  ];
  lines.forEach((l, i) => scanner.feed(l, i));
  assert.deepEqual(scanner.path(), ['messages', 1, 'role']);
});
