import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffOutputs, sideText, tidySegments, truncateForDisplay } from '../../../../src/core/compare/diff';

void test('word diff marks the changed word only', () => {
  const d = diffOutputs('the cat sat on the mat', 'the dog sat on the mat');
  assert.deepEqual(d.segments, [
    { op: 'equal', text: 'the ' },
    { op: 'delete', text: 'cat' },
    { op: 'insert', text: 'dog' },
    { op: 'equal', text: ' sat on the mat' },
  ]);
  assert.equal(d.truncated, false);
  assert.equal(d.coarse, false);
});

void test('adjacent word changes read as one replacement, not word/space confetti', () => {
  const d = diffOutputs('I like the cat a lot', 'I like a small dog a lot');
  assert.deepEqual(d.segments, [
    { op: 'equal', text: 'I like ' },
    { op: 'delete', text: 'the cat' },
    { op: 'insert', text: 'a small dog' },
    { op: 'equal', text: ' a lot' },
  ]);
});

void test('both texts are always reconstructible from the segments', () => {
  const pairs: [string, string][] = [
    ['', 'new text'],
    ['old text', ''],
    ['a  b\n\nc', 'a b\nc d'],
    ['Résumé: café, naïve!', 'Resume: cafe naive?'],
    ['same', 'same'],
    ['x'.repeat(50), 'y'.repeat(50)],
  ];
  for (const [a, b] of pairs) {
    const d = diffOutputs(a, b);
    assert.equal(sideText(d.segments, 'a'), a, JSON.stringify([a, b]));
    assert.equal(sideText(d.segments, 'b'), b, JSON.stringify([a, b]));
  }
});

void test('huge outputs are cut for display with a flag', () => {
  const big = 'word '.repeat(10_000);
  const t = truncateForDisplay(big, 1000);
  assert.equal(t.text.length, 1000);
  assert.equal(t.truncated, true);
  assert.equal(t.length, 50_000);
  const d = diffOutputs(big, big + 'tail', 1000);
  assert.equal(d.truncated, true);
  // A surrogate pair at the cut is not split.
  const emoji = 'a'.repeat(9) + '😀';
  assert.equal(truncateForDisplay(emoji, 10).text, 'a'.repeat(9));
});

void test('texts too different to diff in budget come back as a whole replacement', () => {
  const a = Array.from({ length: 2000 }, (_, i) => `a${i}`).join(' ');
  const b = Array.from({ length: 2000 }, (_, i) => `b${i}`).join(' ');
  const d = diffOutputs(a, b);
  assert.equal(d.coarse, true);
  assert.deepEqual(d.segments, [
    { op: 'delete', text: a },
    { op: 'insert', text: b },
  ]);
});

void test('tidySegments merges equal runs and keeps order delete-then-insert', () => {
  assert.deepEqual(
    tidySegments([
      { op: 'insert', text: 'x' },
      { op: 'delete', text: 'y' },
      { op: 'equal', text: 'a' },
      { op: 'equal', text: 'b' },
    ]),
    [
      { op: 'delete', text: 'y' },
      { op: 'insert', text: 'x' },
      { op: 'equal', text: 'ab' },
    ],
  );
});
