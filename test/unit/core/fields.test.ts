import assert from 'node:assert/strict';
import { test } from 'node:test';
import { definedFields } from '../../../src/core/fields';

void test('definedFields leaves out undefined fields and keeps the order of the others', () => {
  const out = definedFields({ a: 1, b: undefined, c: null, d: false, e: 0, f: '', g: undefined, h: 'x' });
  assert.deepEqual(Object.entries(out), [
    ['a', 1],
    ['c', null],
    ['d', false],
    ['e', 0],
    ['f', ''],
    ['h', 'x'],
  ]);
  assert.equal('b' in out, false);
});

void test('definedFields copies: the source object is left as it was', () => {
  const source = { a: 1, b: undefined };
  const out = definedFields(source);
  assert.notEqual(out, source);
  assert.deepEqual(Object.keys(source), ['a', 'b']);
});
