// Seeded fuzz: thousands of mutated prompt files. parsePromptFile must never throw, never hit its
// internal-error safety net, and every diagnostic range must lie inside the text of its file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Diagnostic, FileReader, Position } from '../../../../src/core/model';
import { parsePromptFile, parseTestDataText, testDataFormat } from '../../../../src/core/promptfile';
import { fixture } from './support';

const SEED = 0x5eed1234;
const FILES = 2000;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = [
  ':',
  ': ',
  '- ',
  '-',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '|',
  '|-',
  '>',
  '#',
  '&a ',
  '*a',
  '!!str ',
  '%',
  '@',
  '`',
  '\t',
  '\n',
  '\r\n',
  ' ',
  '  ',
  'x',
  '\\',
  '\\"',
  'é',
  '😀',
  '{{',
  '}}',
  '{{ v }}',
  '{{input}}',
  ',',
  '?',
  '---\n',
  '...\n',
  '\u0000',
  '<<: *a\n',
  '&a ',
  '\ufeff',
];
const SCALARS = [
  '123',
  '-1.5e3',
  'true',
  'false',
  'null',
  '~',
  '[]',
  '{}',
  '[a, b]',
  '{x: 1}',
  '"str"',
  "'{{x}}'",
  '|\n  block\n',
  '>-\n  folded\n  text',
  '"{\\"name\\": 1}"',
  '0x1F',
  '.nan',
  '"unterminated',
  'system',
  'json_schema',
  'data/cases.jsonl',
  '{file: prompts/system.md}',
  '{pattern: "("}',
];

function mutate(text: string, random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const lines = text.split('\n');
  const lineIndex = () => Math.floor(random() * lines.length);
  switch (Math.floor(random() * 8)) {
    case 0:
      lines.splice(lineIndex(), 1);
      return lines.join('\n');
    case 1: {
      const i = lineIndex();
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
    case 2: {
      const i = lineIndex();
      const j = lineIndex();
      [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
      return lines.join('\n');
    }
    case 3: {
      const i = lineIndex();
      const line = lines[i] ?? '';
      const delta = Math.floor(random() * 9) - 4;
      lines[i] = delta >= 0 ? ' '.repeat(delta) + line : line.replace(new RegExp(`^ {0,${-delta}}`), '');
      return lines.join('\n');
    }
    case 4: {
      const at = Math.floor(random() * (text.length + 1));
      return text.slice(0, at) + pick(SNIPPETS) + text.slice(at);
    }
    case 5:
      return text.slice(0, Math.floor(random() * (text.length + 1)));
    case 6: {
      const i = lineIndex();
      const line = lines[i] ?? '';
      const colon = line.indexOf(': ');
      lines[i] = colon >= 0 ? `${line.slice(0, colon + 2)}${pick(SCALARS)}` : `${line}${pick(SCALARS)}`;
      return lines.join('\n');
    }
    default: {
      // Delete a random span.
      const a = Math.floor(random() * (text.length + 1));
      const b = Math.min(text.length, a + Math.floor(random() * 40));
      return text.slice(0, a) + text.slice(b);
    }
  }
}

function inside(lines: readonly string[], p: Position): boolean {
  const line = lines[p.line];
  return (
    Number.isInteger(p.line) &&
    Number.isInteger(p.column) &&
    p.line >= 0 &&
    p.column >= 0 &&
    line !== undefined &&
    p.column <= line.length
  );
}

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.column <= b.column);

void test(`fuzz: ${FILES} mutated prompt files (seed ${SEED}) never throw and keep ranges inside the text`, async () => {
  const sources: string[] = [];
  for (const dir of ['gh-models-examples', 'broken', 'extensions']) {
    for (const name of fs.readdirSync(fixture(dir)).filter((f) => f.endsWith('.prompt.yml')))
      sources.push(fixture(dir, name));
  }
  const originals = new Map(sources.map((file) => [file, fs.readFileSync(file, 'utf8')]));
  // Referenced files come from disk once; the fuzz exercises the prompt text, not the file system.
  const cache = new Map<string, Promise<string>>();
  const reader: FileReader = {
    readFile: (p: string) => {
      let content = cache.get(p);
      if (!content) {
        content = fs.promises.readFile(p, 'utf8');
        cache.set(p, content);
      }
      return content;
    },
  };
  const random = prng(SEED);
  const seenCodes = new Set<string>();
  let withErrors = 0;
  for (let i = 0; i < FILES; i++) {
    const file = sources[i % sources.length] as string;
    let text = originals.get(file) ?? '';
    const rounds = 1 + Math.floor(random() * 3);
    for (let r = 0; r < rounds; r++) text = mutate(text, random);
    let result;
    try {
      result = await parsePromptFile(file, text, reader);
    } catch (e) {
      assert.fail(`threw on mutation ${i} of ${path.basename(file)}: ${String(e)}\n---\n${text}`);
    }
    for (const d of result.diagnostics as Diagnostic[]) {
      seenCodes.add(d.code);
      assert.notEqual(
        d.code,
        'internal-error',
        `internal error on mutation ${i} of ${path.basename(file)}: ${d.message}\n---\n${text}`,
      );
      const lines = (d.file === file ? text : await reader.readFile(d.file)).split('\n');
      const where = `mutation ${i} of ${path.basename(file)}, ${d.code} ${JSON.stringify(d.range)}`;
      assert.ok(
        inside(lines, d.range.start) && inside(lines, d.range.end),
        `range outside the text: ${where}\n---\n${text}`,
      );
      assert.ok(before(d.range.start, d.range.end), `range ends before it starts: ${where}`);
      assert.ok(d.message.length > 0);
    }
    if (result.diagnostics.some((d) => d.severity === 'error')) withErrors++;
  }
  // The mutations must actually reach the validator's rules, not just the YAML parser.
  for (const code of ['yaml-syntax', 'unknown-key', 'wrong-type', 'missing-variable', 'missing-messages'])
    assert.ok(seenCodes.has(code), `never produced ${code}`);
  assert.ok(withErrors > FILES / 10 && withErrors < FILES, `${withErrors} of ${FILES} files had errors`);
});

void test('fuzz: 800 mutated test-data files (jsonl, json, csv, yaml) never throw and keep ranges inside the text', () => {
  const dir = fixture('extensions', 'data');
  const sources = fs
    .readdirSync(dir)
    .filter((f) => testDataFormat(f) !== undefined)
    .map((f) => path.join(dir, f));
  assert.ok(sources.length >= 8);
  const random = prng(SEED + 1);
  for (let i = 0; i < 800; i++) {
    const file = sources[i % sources.length] as string;
    let text = fs.readFileSync(file, 'utf8');
    const rounds = 1 + Math.floor(random() * 3);
    for (let r = 0; r < rounds; r++) text = mutate(text, random);
    const format = testDataFormat(file);
    assert.ok(format);
    const result = parseTestDataText(file, text, format);
    const lines = text.split('\n');
    for (const d of result.diagnostics) {
      assert.equal(d.file, file);
      assert.ok(
        inside(lines, d.range.start) && inside(lines, d.range.end) && before(d.range.start, d.range.end),
        `mutation ${i} of ${path.basename(file)}: ${JSON.stringify(d)}\n---\n${text}`,
      );
    }
    for (const c of result.cases) {
      assert.ok(
        inside(lines, c.range.start) && inside(lines, c.range.end),
        `case range outside: mutation ${i} of ${path.basename(file)}`,
      );
      assert.equal(typeof c.vars, 'object');
    }
  }
});
