import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findPlaceholders, formatValue, missingVariables, renderTemplate } from '../../../src/core/template';

void test('{{key}} is replaced by the value as text', () => {
  assert.equal(renderTemplate('Hi {{name}}, {{name}}!', { name: 'Ada' }), 'Hi Ada, Ada!');
});

void test('a placeholder with no value stays unchanged', () => {
  assert.equal(renderTemplate('{{a}} and {{b}}', { a: 1 }), '1 and {{b}}');
  assert.equal(renderTemplate('{{a}}', {}), '{{a}}');
});

void test('{{ key }} with spaces is filled in (extension) and reported as spaced', () => {
  assert.equal(renderTemplate('{{ a }}|{{a }}|{{\ta}}', { a: 'x' }), 'x|x|x');
  assert.deepEqual(findPlaceholders('{{ a }} {{b}}'), [
    { name: 'a', start: 0, end: 7, spaced: true },
    { name: 'b', start: 8, end: 13, spaced: false },
  ]);
});

void test('non-string values: numbers and booleans in default form, objects and arrays as JSON', () => {
  assert.equal(formatValue(3), '3');
  assert.equal(formatValue(0.5), '0.5');
  assert.equal(formatValue(true), 'true');
  assert.equal(formatValue(null), 'null');
  assert.equal(formatValue({ a: [1, 'x'] }), '{"a":[1,"x"]}');
  assert.equal(formatValue([1, 2]), '[1,2]');
  assert.equal(
    renderTemplate('n={{n}} ok={{ok}} list={{list}}', { n: 42, ok: false, list: ['a', 'b'] }),
    'n=42 ok=false list=["a","b"]',
  );
});

void test('no escaping, no loops, no conditionals: values are inserted literally and not re-expanded', () => {
  assert.equal(renderTemplate('{{a}}', { a: '<b>&"{{b}}"', b: 'NO' }), '<b>&"{{b}}"');
  assert.equal(renderTemplate('{{#each xs}}{{/each}}', { xs: [1] }), '{{#each xs}}{{/each}}');
  assert.equal(renderTemplate('$& $1 {{a}}', { a: '$&$1' }), '$& $1 $&$1');
});

void test('odd braces: empty, nested, unterminated and multi-line are not placeholders', () => {
  assert.deepEqual(findPlaceholders('{{}} {{  }} {{a {{b}} }} {{c\n}} {{d'), [
    { name: 'b', start: 16, end: 21, spaced: false },
  ]);
  assert.equal(renderTemplate('{{{a}}}', { a: 'x' }), '{x}');
  assert.equal(renderTemplate('{{a}}{{a}}', { a: '' }), '');
});

void test('the exact inner text wins over the trimmed name (gh-models looked keys up literally)', () => {
  assert.equal(renderTemplate('{{ a }}', { ' a ': 'exact', a: 'trimmed' }), 'exact');
  assert.equal(renderTemplate('{{a-b.c}}', { 'a-b.c': 'ok' }), 'ok');
});

void test('undefined counts as missing; missingVariables lists each name once', () => {
  assert.equal(renderTemplate('{{a}}', { a: undefined }), '{{a}}');
  assert.deepEqual(missingVariables('{{a}} {{b}} {{a}} {{ c }}', { b: 0 }), ['a', 'c']);
});
