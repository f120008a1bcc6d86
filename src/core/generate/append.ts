// Appends test-case rows to the text that holds a file's test data — the prompt file's inline
// `testData` or an external .jsonl/.json/.yaml/.csv file — without touching a byte of what is
// already there: the yaml Document API locates the list, the new rows are spliced in after it.
import { Document, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode, type YAMLSeq } from 'yaml';
import { PromptLabError } from '../errors';
import { GENERATED_MARKER } from '../promptfile/keys';
import type { TestDataFormat } from '../promptfile/testData';

export type Row = Record<string, unknown>;

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end < 0 ? text.length : end;
}

/** The rows as block-sequence items, each line indented by `indent` spaces. */
function blockItems(rows: readonly Row[], indent: number): string {
  const yamlText = new Document(rows).toString({ lineWidth: 0 });
  const pad = ' '.repeat(indent);
  return yamlText
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

/** Column of the `-` that starts the item whose value begins at `valueStart`. */
function dashColumn(text: string, valueStart: number): number {
  let at = valueStart - 1;
  while (at >= 0 && text[at] !== '-' && text[at] !== '\n') at--;
  return at >= 0 && text[at] === '-' ? at - lineStart(text, at) : 0;
}

/** Splices rows after the last item of a block or flow sequence. */
function appendToSeq(text: string, seq: YAMLSeq, rows: readonly Row[], fallbackIndent: number): string {
  const range = seq.range;
  if (!range) throw new PromptLabError('cannot locate the test-data list in the file', 'internal');
  if (seq.flow) {
    const close = text.lastIndexOf(']', range[1]);
    if (close < range[0]) throw new PromptLabError('cannot locate the end of the flow test-data list', 'internal');
    const items = rows.map((row) => JSON.stringify(row)).join(', ');
    const before = text.slice(range[0] + 1, close).trim();
    return `${text.slice(0, close)}${before === '' ? items : `, ${items}`}${text.slice(close)}`;
  }
  const last = seq.items[seq.items.length - 1] as YamlNode | undefined;
  const first = seq.items[0] as YamlNode | undefined;
  const indent = first?.range ? dashColumn(text, first.range[0]) : fallbackIndent;
  // After the last item's last line of content (its value end; trailing comments stay below the new rows).
  const lastEnd = last?.range ? last.range[1] : range[1];
  const contentEnd = text.slice(0, lastEnd).replace(/\s+$/, '').length;
  const at = lineEnd(text, contentEnd);
  return `${text.slice(0, at)}\n${blockItems(rows, indent)}${text.slice(at)}`;
}

/** New text of a prompt file with `rows` appended to its inline `testData` (created when absent). */
export function appendToPromptFileText(text: string, rows: readonly Row[]): string {
  const doc = parseDocument(text);
  const root = doc.contents;
  if (!isMap(root)) throw new PromptLabError('the prompt file is not a YAML mapping', 'input');
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'testData');
  if (!pair) {
    const base = text.endsWith('\n') || text === '' ? text : `${text}\n`;
    return `${base}testData:\n${blockItems(rows, 2)}\n`;
  }
  const value = pair.value as YamlNode | null;
  if (isSeq(value) && (value.items.length > 0 || value.flow)) return appendToSeq(text, value, rows, 2);
  if (value === null || (isScalar(value) && (value.value === null || value.value === ''))) {
    // `testData:` with nothing after it: the rows go on the lines below the key.
    const keyEnd = (pair.key as YamlNode).range?.[1] ?? 0;
    const at = lineEnd(text, keyEnd);
    const keyColumn =
      ((pair.key as YamlNode).range?.[0] ?? 0) - lineStart(text, (pair.key as YamlNode).range?.[0] ?? 0);
    return `${text.slice(0, at)}\n${blockItems(rows, keyColumn + 2)}${text.slice(at)}`;
  }
  throw new PromptLabError('`testData` is neither a list nor empty; cannot append to it', 'input');
}

function csvField(value: unknown): string {
  const textValue =
    value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\r\n]|^\s|\s$/.test(textValue) ? `"${textValue.replace(/"/g, '""')}"` : textValue;
}

/** The header of a CSV file (first record), parsed the way csv-parse reads simple headers. */
export function csvHeader(text: string): string[] {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < firstLine.length; i++) {
    const ch = firstLine[i];
    if (quoted) {
      if (ch === '"' && firstLine[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(current);
      current = '';
    } else current += ch;
  }
  fields.push(current);
  return fields.map((f) => f.trim());
}

/** New text of an external test-data file with `rows` appended. */
export function appendToTestDataText(text: string, format: TestDataFormat, rows: readonly Row[], file: string): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const base = text === '' || text.endsWith('\n') ? text : `${text}${newline}`;
  switch (format) {
    case 'jsonl':
      return `${base}${rows.map((row) => JSON.stringify(row)).join(newline)}${newline}`;
    case 'json': {
      const close = text.lastIndexOf(']');
      const open = text.indexOf('[');
      if (open < 0 || close < open) throw new PromptLabError(`${file} does not hold a JSON array`, 'input', { file });
      const inner = text.slice(open + 1, close);
      const firstElement = /\S/.exec(inner);
      // Keep the file's layout: one element per line when it has line breaks, inline otherwise.
      const multiline = inner.includes('\n');
      const indent =
        multiline && firstElement
          ? inner.slice(inner.lastIndexOf('\n', firstElement.index) + 1, firstElement.index)
          : '  ';
      const trimmedEnd = open + 1 + inner.replace(/\s+$/, '').length;
      const items = rows.map((row) => JSON.stringify(row));
      if (inner.trim() === '')
        return `${text.slice(0, open + 1)}${newline}${items.map((item) => `  ${item}`).join(`,${newline}`)}${newline}${text.slice(close)}`;
      if (!multiline) return `${text.slice(0, trimmedEnd)}, ${items.join(', ')}${text.slice(trimmedEnd)}`;
      return `${text.slice(0, trimmedEnd)},${newline}${items.map((item) => `${indent}${item}`).join(`,${newline}`)}${text.slice(trimmedEnd)}`;
    }
    case 'yaml': {
      const doc = parseDocument(text);
      const root = doc.contents;
      if (root === null) return `${base}${blockItems(rows, 0)}${newline}`;
      if (!isSeq(root)) throw new PromptLabError(`${file} does not hold a YAML list`, 'input', { file });
      return appendToSeq(text, root, rows, 0);
    }
    case 'csv': {
      const header = csvHeader(text);
      const lines = rows.map((row) => header.map((column) => csvField(row[column])).join(','));
      return `${base}${lines.join(newline)}${newline}`;
    }
  }
}

/** Columns a CSV file lacks for these variables (the marker column is optional). */
export function missingCsvColumns(text: string, variables: readonly string[]): string[] {
  const header = new Set(csvHeader(text));
  return variables.filter((v) => v !== GENERATED_MARKER && !header.has(v));
}
