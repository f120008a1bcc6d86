// The JSON reader behind `jsonSchema` strings and .json/.jsonl test data: where it says a text breaks
// (the exact character), what it says, and what it accepts. These are the places where jsonc-parser's
// own reports differ from the character a person needs to see (it reports a bad string or number at its
// first character, and reads `truex` as one word), so each is pinned here.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseJson, parsePromptFile } from '../../../../src/core/promptfile';
import { at, only, parseText, textAt } from './support';

/** [offset, message] of a failed parse; fails the test when the text parses. */
function failure(text: string): [number, string] {
  const parsed = parseJson(text);
  assert.equal(parsed.ok, false, `${JSON.stringify(text)} should not parse`);
  return parsed.ok ? [-1, ''] : [parsed.offset, parsed.message];
}

void describe('parseJson: where and why a text is not JSON', () => {
  void it('structure: the token that is out of place, and what was expected there', () => {
    assert.deepEqual(failure('{"a": }'), [6, "Unexpected '}': expected a JSON value"]);
    assert.deepEqual(failure('{a: 1}'), [1, "Expected a double-quoted property name, found 'a'"]);
    assert.deepEqual(failure("{'a': 1}"), [1, "Expected a double-quoted property name, found '''"]);
    assert.deepEqual(failure('{"a" 1}'), [5, "Expected ':' after the property name, found '1'"]);
    assert.deepEqual(failure('{"a"/: 1}'), [4, "Expected ':' after the property name, found '/'"]);
    assert.deepEqual(failure('{"a": 1 "b": 2}'), [8, "Expected ',' or '}' in object, found '\"'"]);
    assert.deepEqual(failure('[1 2]'), [3, "Expected ',' or ']' in array, found '2'"]);
    // An object closed inside an array: the array is what needs the comma.
    assert.deepEqual(failure('[{"a": 1}x]'), [9, "Expected ',' or ']' in array, found 'x'"]);
    assert.deepEqual(failure('{"a": [1, 2}'), [11, "Expected ',' or ']' in array, found '}'"]);
    assert.deepEqual(failure('{"a": 1}}'), [8, "Unexpected '}' after the JSON value"]);
    assert.deepEqual(failure('1 2'), [2, "Unexpected '2' after the JSON value"]);
  });

  void it('trailing commas, empty slots and comments are errors (plain JSON, not JSONC)', () => {
    assert.deepEqual(failure('{"a": 1,}'), [8, "Expected a double-quoted property name, found '}'"]);
    assert.deepEqual(failure('[1, 2,]'), [6, "Unexpected ']': expected a JSON value"]);
    assert.deepEqual(failure('[1,,2]'), [3, "Unexpected ',': expected a JSON value"]);
    assert.deepEqual(failure('{,}'), [1, "Expected a double-quoted property name, found ','"]);
    assert.deepEqual(failure('// note\n{}'), [0, "Unexpected '/': expected a JSON value"]);
    assert.deepEqual(failure('{"a": 1 /* note */}'), [8, "Expected ',' or '}' in object, found '/'"]);
  });

  void it('the end of the text: what is still open', () => {
    assert.deepEqual(failure(''), [0, 'Unexpected end of JSON']);
    assert.deepEqual(failure('  \n'), [3, 'Unexpected end of JSON']);
    assert.deepEqual(failure('{'), [1, 'Expected a double-quoted property name, found end of text']);
    assert.deepEqual(failure('['), [1, 'Unexpected end of JSON']);
    assert.deepEqual(failure('{"a": 1'), [7, "Expected ',' or '}' in object, found end of text"]);
    // The last '}' closes the inner object; the outer one is still open.
    assert.deepEqual(failure('{"a": {"b": 1}'), [14, "Expected ',' or '}' in object, found end of text"]);
    assert.deepEqual(failure('[1'), [2, "Expected ',' or ']' in array, found end of text"]);
  });

  void it('errors inside a string point at the character, not at the opening quote', () => {
    assert.deepEqual(failure('{"a": "x\\qy"}'), [9, 'Bad escape \\q']);
    assert.deepEqual(failure('["\\u12g4"]'), [3, 'Bad \\u escape']);
    assert.deepEqual(failure('"\\u00'), [2, 'Bad \\u escape']);
    assert.deepEqual(failure('{"a": "b\tc"}'), [8, "Control character '\t' inside a string (escape it)"]);
    assert.deepEqual(failure('["one\ntwo"]'), [5, 'Control character line break inside a string (escape it)']);
    assert.deepEqual(failure('["a\r\n"]'), [3, 'Control character line break inside a string (escape it)']);
    assert.deepEqual(failure('{"a": "open'), [11, 'Unterminated string']);
    assert.deepEqual(failure('{"a": "\\'), [8, 'Bad escape \\']);
    // A string that is also out of place: being out of place is reported (it comes first when reading).
    assert.deepEqual(failure('{"a": """}'), [8, "Expected ',' or '}' in object, found '\"'"]);
    // Escapes that are fine do not trip the search for the bad character.
    assert.deepEqual(failure('["\\\\\\"\\/\\b\\f\\n\\r\\t\\u00e9", "\\x"]'), [29, 'Bad escape \\x']);
  });

  void it('numbers and keywords: where they stop being one', () => {
    assert.deepEqual(failure('[2.]'), [2, 'Bad number']);
    assert.deepEqual(failure('1e+'), [1, 'Bad number']);
    assert.deepEqual(failure('[01]'), [2, 'Bad number']);
    assert.deepEqual(failure('1.5.3'), [3, 'Bad number']);
    assert.deepEqual(failure('[-x]'), [1, 'Bad number']);
    assert.deepEqual(failure('[.5]'), [1, "Unexpected '.': expected a JSON value"]);
    assert.deepEqual(failure('[+1]'), [1, "Unexpected '+': expected a JSON value"]);
    assert.deepEqual(failure('NaN'), [0, "Unexpected 'N': expected a JSON value"]);
    assert.deepEqual(failure('[tru]'), [1, "Unexpected 't': expected a JSON value"]);
    assert.deepEqual(failure('[nullx]'), [5, "Expected ',' or ']' in array, found 'x'"]);
    assert.deepEqual(failure('truex'), [4, "Unexpected 'x' after the JSON value"]);
  });

  void it('only JSON whitespace: a byte-order mark or a no-break space is an error', () => {
    assert.deepEqual(failure('\ufeff[]'), [0, "Unexpected '\ufeff': expected a JSON value"]);
    assert.deepEqual(failure('[1]\u00a0'), [3, "Unexpected '\u00a0' after the JSON value"]);
  });

  void it('duplicate keys are valid JSON: the last one wins, as in JSON.parse', () => {
    assert.deepEqual(parseJson('{"a": 1, "a": 2}'), { ok: true, value: { a: 2 } });
  });

  void it('spans of a top-level array: each element from its first to its last character', () => {
    const text = ' [1, "a,]" ,\n {"b": [2]} , null ] ';
    const parsed = parseJson(text, { topLevelSpans: true });
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.elementSpans?.map(([from, to]) => text.slice(from, to)),
      ['1', '"a,]"', '{"b": [2]}', 'null'],
    );
    assert.deepEqual(parseJson('[]', { topLevelSpans: true }), { ok: true, value: [], elementSpans: [] });
    assert.deepEqual(parseJson('{"a": 1}', { topLevelSpans: true }), {
      ok: true,
      value: { a: 1 },
      elementSpans: undefined,
    });
  });

  void it('deep nesting never throws: valid text parses, invalid text still gets a message', () => {
    const deep = '['.repeat(20000) + ']'.repeat(20000);
    const valid = parseJson(`[${deep}, 1]`, { topLevelSpans: true });
    assert.equal(valid.ok, true);
    const invalid = parseJson('['.repeat(20000));
    assert.equal(invalid.ok, false);
    assert.ok(!invalid.ok && invalid.message.length > 0);
  });
});

void describe('JSON errors as diagnostics: line and column in the file', () => {
  void it('a bad escape inside a jsonSchema block scalar: at that character of that line', async () => {
    const text = [
      'model: m',
      'responseFormat: json_schema',
      'jsonSchema: |-',
      '  {',
      '    "name": "answer",',
      '    "schema": {"type": "object", "description": "a \\q b"}',
      '  }',
      'messages:',
      '  - role: user',
      '    content: x',
      '',
    ].join('\n');
    const d = only((await parseText(text)).diagnostics, 'invalid-json');
    assert.deepEqual(at(d), [5, 52, 5, 53]);
    assert.equal(textAt(text, d), 'q');
    assert.match(d.message, /Bad escape \\q/);
  });

  void it('a .jsonl line with a tab inside a string and a .json file with a trailing comma', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-json-'));
    try {
      fs.writeFileSync(path.join(dir, 'cases.jsonl'), '{"q": "fine"}\n{"q": "tab\there"}\n');
      fs.writeFileSync(path.join(dir, 'cases.json'), '[\n  {"q": "one"},\n  {"q": "two"},\n]\n');
      const prompt = (data: string) => `model: m\ntestData: ${data}\nmessages:\n  - role: user\n    content: "{{q}}"\n`;
      const jsonl = await parsePromptFile(path.join(dir, 'a.prompt.yml'), prompt('cases.jsonl'));
      const tab = only(jsonl.diagnostics, 'test-data-syntax');
      assert.equal(tab.file, path.join(dir, 'cases.jsonl'));
      assert.deepEqual(at(tab), [1, 10, 1, 11]);
      assert.equal(tab.message, "Line 2 is not valid JSON: Control character '\t' inside a string (escape it)");
      const json = await parsePromptFile(path.join(dir, 'b.prompt.yml'), prompt('cases.json'));
      const comma = only(json.diagnostics, 'test-data-syntax');
      assert.deepEqual(at(comma), [3, 0, 3, 1]);
      assert.equal(comma.message, "Not valid JSON: Unexpected ']': expected a JSON value");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
