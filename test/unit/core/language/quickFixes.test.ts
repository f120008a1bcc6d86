import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quickFixes, type TextEdit } from '../../../../src/core/language';
import type { Diagnostic, FileReader } from '../../../../src/core/model';
import { parsePromptFile } from '../../../../src/core/promptfile';
import { LineIndex } from '../../../../src/core/promptfile/positions';

const PROMPT = '/w/a.prompt.yml';

/** Applies edits to one file's text (edits must not overlap). */
function apply(text: string, edits: TextEdit[]): string {
  const index = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => index.offsetAt(b.range.start) - index.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted)
    out = out.slice(0, index.offsetAt(e.range.start)) + e.newText + out.slice(index.offsetAt(e.range.end));
  return out;
}

async function diagnose(text: string, reader?: FileReader): Promise<Diagnostic[]> {
  return (await parsePromptFile(PROMPT, text, reader)).diagnostics;
}

void test('did-you-mean key: the fix renames the key, and the file then validates clean of it', async () => {
  const text = 'modle: openai/gpt-4o\nmessages:\n  - role: user\n    content: hi\n';
  const diagnostic = (await diagnose(text)).find((d) => d.code === 'unknown-key');
  assert.ok(diagnostic, 'the validator flags `modle`');
  const [fix] = quickFixes(diagnostic, { promptPath: PROMPT, promptText: text });
  assert.ok(fix);
  assert.equal(fix.title, 'Change to `model`');
  assert.equal(fix.preferred, true);
  const fixed = apply(text, fix.edits);
  assert.equal(fixed, 'model: openai/gpt-4o\nmessages:\n  - role: user\n    content: hi\n');
  assert.equal((await diagnose(fixed)).filter((d) => d.code === 'unknown-key').length, 0);
});

void test("addVariable adds the key to every case that lacks it, at each case's indentation", async () => {
  const text = [
    'messages:',
    '  - role: user',
    '    content: "{{input}} in {{lang}}"',
    'testData:',
    '  - input: a',
    '    lang: en',
    '  - input: b # second',
    '  -   input: c',
    '      note: |',
    '        multi',
    '        line',
    '  - {input: d}',
    '  - {}',
  ].join('\n');
  const diagnostic = (await diagnose(text)).find(
    (d) => d.code === 'missing-variable' && d.fix?.kind === 'addVariable' && d.fix.variable === 'lang',
  );
  assert.ok(diagnostic, 'the validator flags {{lang}}');
  const [fix] = quickFixes(diagnostic, { promptPath: PROMPT, promptText: text });
  assert.ok(fix);
  assert.equal(fix.title, 'Add `lang` to the 4 test cases that lack it');
  const fixed = apply(text, fix.edits);
  assert.equal(
    fixed,
    [
      'messages:',
      '  - role: user',
      '    content: "{{input}} in {{lang}}"',
      'testData:',
      '  - input: a',
      '    lang: en',
      '  - input: b # second',
      '    lang: ""',
      '  -   input: c',
      '      note: |',
      '        multi',
      '        line',
      '      lang: ""',
      '  - {input: d, lang: ""}',
      '  - {lang: ""}',
    ].join('\n'),
  );
  const stillMissing = (await diagnose(fixed))
    .filter((d) => d.fix?.kind === 'addVariable')
    .map((d) => (d.fix?.kind === 'addVariable' ? d.fix.variable : ''));
  assert.deepEqual(stillMissing, ['input'], 'only the last case, which also lacks input, is still flagged');
});

void test('addVariable on external .jsonl test data edits the data file', async () => {
  const text = 'testData: cases.jsonl\nmessages:\n  - role: user\n    content: "{{q}} {{lang}}"\n';
  const data = '{"q": "a", "lang": "en"}\n{"q": "b"}\n{}\n';
  const reader: FileReader = {
    readFile: (p) =>
      p === '/w/cases.jsonl' ? Promise.resolve(data) : Promise.reject(new Error(`unexpected read ${p}`)),
  };
  const diagnostic = (await diagnose(text, reader)).find(
    (d) => d.fix?.kind === 'addVariable' && d.fix.variable === 'lang',
  );
  assert.ok(diagnostic);
  const [fix] = quickFixes(diagnostic, {
    promptPath: PROMPT,
    promptText: text,
    readText: (p) => (p === '/w/cases.jsonl' ? data : undefined),
  });
  assert.ok(fix);
  assert.ok(fix.edits.every((e) => e.file === '/w/cases.jsonl'));
  assert.equal(apply(data, fix.edits), '{"q": "a", "lang": "en"}\n{"q": "b", "lang": ""}\n{"lang": ""}\n');
});

void test('replaceText and removeKey fixes', () => {
  const text = 'model: x\nrepeat: 2\nmessages: []\n';
  const base = { file: PROMPT, severity: 'warning' as const, code: 'test', message: 'm' };
  const replace = quickFixes(
    {
      ...base,
      range: { start: { line: 0, column: 7 }, end: { line: 0, column: 8 } },
      fix: { kind: 'replaceText', text: 'y' },
    },
    { promptPath: PROMPT, promptText: text },
  );
  assert.equal(apply(text, replace[0]?.edits ?? []), 'model: y\nrepeat: 2\nmessages: []\n');
  const remove = quickFixes(
    { ...base, range: { start: { line: 1, column: 0 }, end: { line: 1, column: 6 } }, fix: { kind: 'removeKey' } },
    { promptPath: PROMPT, promptText: text },
  );
  assert.equal(apply(text, remove[0]?.edits ?? []), 'model: x\nmessages: []\n');
  assert.deepEqual(
    quickFixes(
      { ...base, range: { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } } },
      { promptPath: PROMPT, promptText: text },
    ),
    [],
  );
});
