// Quick fixes computed from a diagnostic's `fix` data: the validator says WHAT to fix, this
// works out the text edits (with the file's indentation).
import * as nodePath from 'node:path';
import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Diagnostic, Range } from '../model';
import { LineIndex, parsePromptDocument, type PromptDocument } from '../promptfile/positions';

export interface TextEdit {
  /** Absolute path of the file to edit. */
  file: string;
  range: Range;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** The one obvious fix (did-you-mean): editors may apply it with a single shortcut. */
  preferred: boolean;
  /** The diagnostic this fixes. */
  diagnostic: Diagnostic;
}

export interface QuickFixInput {
  /** Absolute path of the prompt file and its current text. */
  promptPath: string;
  promptText: string;
  /** Texts of other files an edit may need (an external test-data file), by absolute path. */
  readText?: (absolutePath: string) => string | undefined;
  parsed?: PromptDocument;
}

/** Value written for a variable added by a quick fix: empty, so the run shows the gap plainly. */
export const ADDED_VARIABLE_VALUE = '""';

/** The preferred fix that writes `text` over the diagnosed range. */
function replaceDiagnosedText(diagnostic: Diagnostic, text: string): QuickFix {
  return {
    title: `Change to \`${text}\``,
    edits: [{ file: diagnostic.file, range: diagnostic.range, newText: text }],
    preferred: true,
    diagnostic,
  };
}

export function quickFixes(diagnostic: Diagnostic, input: QuickFixInput): QuickFix[] {
  const fix = diagnostic.fix;
  if (!fix) return [];
  switch (fix.kind) {
    case 'replaceKey':
      return [replaceDiagnosedText(diagnostic, fix.replacement)];
    case 'replaceText':
      return [replaceDiagnosedText(diagnostic, fix.text)];
    case 'removeKey': {
      const edit = removeKeyEdit(diagnostic, input);
      return edit ? [{ title: 'Remove this key', edits: [edit], preferred: false, diagnostic }] : [];
    }
    case 'addVariable': {
      const edits = addVariableEdits(fix.variable, input);
      if (edits.length === 0) return [];
      const cases = edits.length === 1 ? 'the test case that lacks it' : `the ${edits.length} test cases that lack it`;
      return [{ title: `Add \`${fix.variable}\` to ${cases}`, edits, preferred: false, diagnostic }];
    }
  }
}

/** Deletes the whole `key: value` entry whose key is at the diagnostic's range. */
function removeKeyEdit(diagnostic: Diagnostic, input: QuickFixInput): TextEdit | undefined {
  if (nodePath.resolve(diagnostic.file) !== nodePath.resolve(input.promptPath)) return undefined;
  const parsed = input.parsed ?? parsePromptDocument(input.promptText);
  const start = parsed.index.offsetAt(diagnostic.range.start);
  const pair = findPairWithKeyAt(parsed.doc.contents as Node | null, start);
  if (!pair) return undefined;
  const keyNode = pair.key as Node;
  const value = pair.value as Node | null;
  const from = lineStart(parsed.text, keyNode.range?.[0] ?? start);
  const lastChar = Math.max(keyNode.range?.[1] ?? start, value?.range?.[1] ?? 0);
  const to = nextLineStart(parsed.text, trimEnd(parsed.text, lastChar));
  // A key right after `- ` would take the dash with it; delete from the key only.
  const onItemLine = /^\s*-\s/.test(parsed.text.slice(from, keyNode.range?.[0] ?? start));
  const editStart = onItemLine ? (keyNode.range?.[0] ?? start) : from;
  return { file: input.promptPath, range: parsed.index.range(editStart, to), newText: '' };
}

function findPairWithKeyAt(node: Node | null, offset: number): Pair | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) return pair;
      const inner = findPairWithKeyAt(pair.value as Node | null, offset);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const inner = findPairWithKeyAt(item as Node | null, offset);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Edits adding `variable: ""` to every test case that does not set it. */
export function addVariableEdits(variable: string, input: QuickFixInput): TextEdit[] {
  const parsed = input.parsed ?? parsePromptDocument(input.promptText);
  const root = parsed.doc.contents;
  if (!isMap(root)) return [];
  const testData = root.items.find((p) => isScalar(p.key) && p.key.value === 'testData');
  const value = testData?.value as Node | null | undefined;
  if (isScalar(value) && typeof value.value === 'string') {
    const target = nodePath.resolve(nodePath.dirname(nodePath.resolve(input.promptPath)), value.value);
    const text = input.readText?.(target);
    return text !== undefined && /\.jsonl$/i.test(target) ? jsonlEdits(target, text, variable) : [];
  }
  if (!isSeq(value)) return [];
  const edits: TextEdit[] = [];
  for (const item of value.items) {
    if (!isMap(item) || hasKey(item, variable)) continue;
    const edit = item.flow ? flowMapEdit(parsed, item, variable) : blockMapEdit(parsed, item, variable);
    if (edit) edits.push({ file: input.promptPath, ...edit });
  }
  return edits;
}

function hasKey(map: YAMLMap, key: string): boolean {
  return map.items.some((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
}

function yamlKey(name: string): string {
  return /^[A-Za-z_][\w.-]*$/.test(name) ? name : JSON.stringify(name);
}

/** A new line after the item's last entry, at the column of its keys. */
function blockMapEdit(parsed: PromptDocument, map: YAMLMap, variable: string): Omit<TextEdit, 'file'> | undefined {
  const first = map.items[0];
  const firstKey = first?.key as Node | undefined;
  const keyStart = firstKey?.range?.[0];
  if (keyStart === undefined) return undefined;
  const column = parsed.index.positionAt(keyStart).column;
  const last = map.items[map.items.length - 1];
  const lastEnd = Math.max((last?.value as Node | null)?.range?.[1] ?? 0, (last?.key as Node | null)?.range?.[1] ?? 0);
  const end = trimEnd(parsed.text, lastEnd);
  const line = `${' '.repeat(column)}${yamlKey(variable)}: ${ADDED_VARIABLE_VALUE}`;
  // Insert after the line holding the entry's last character (keeps comments on that line in place).
  const lineEnd = endOfLine(parsed.text, end);
  const eol = parsed.text.includes('\r\n') ? '\r\n' : '\n';
  return { range: parsed.index.range(lineEnd, lineEnd), newText: `${eol}${line}` };
}

function flowMapEdit(parsed: PromptDocument, map: YAMLMap, variable: string): Omit<TextEdit, 'file'> | undefined {
  const range = map.range;
  if (!range) return undefined;
  const close = parsed.text.lastIndexOf('}', range[1]);
  if (close < range[0]) return undefined;
  const entry = `${yamlKey(variable)}: ${ADDED_VARIABLE_VALUE}`;
  if (parsed.text.slice(range[0] + 1, close).trim() === '')
    return { range: parsed.index.range(range[0] + 1, close), newText: entry };
  const at = trimEnd(parsed.text, close);
  return { range: parsed.index.range(at, at), newText: parsed.text[at - 1] === ',' ? ` ${entry}` : `, ${entry}` };
}

/** One JSON object per line: add `"variable": ""` to each object that lacks it. */
function jsonlEdits(file: string, text: string, variable: string): TextEdit[] {
  const index = new LineIndex(text);
  const edits: TextEdit[] = [];
  for (let line = 0; line < index.lineCount; line++) {
    const range = index.lineRange(line);
    const start = index.offsetAt(range.start);
    const lineText = text.slice(start, index.offsetAt(range.end));
    let parsed: unknown;
    try {
      parsed = JSON.parse(lineText);
    } catch {
      continue;
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed) ||
      Object.prototype.hasOwnProperty.call(parsed, variable)
    )
      continue;
    const close = lineText.lastIndexOf('}');
    const empty = Object.keys(parsed).length === 0;
    const entry = `${JSON.stringify(variable)}: ${ADDED_VARIABLE_VALUE}`;
    const at = start + close;
    edits.push({ file, range: index.range(at, at), newText: empty ? entry : `, ${entry}` });
  }
  return edits;
}

function trimEnd(text: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1] ?? '')) e--;
  return e;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function endOfLine(text: string, offset: number): number {
  const next = text.indexOf('\n', offset);
  if (next < 0) return text.length;
  return next > 0 && text[next - 1] === '\r' ? next - 1 : next;
}

function nextLineStart(text: string, offset: number): number {
  const next = text.indexOf('\n', offset);
  return next < 0 ? text.length : next + 1;
}
