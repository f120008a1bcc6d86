// The outline of a prompt file: top-level keys, messages (role + first line), test cases
// (labelled by their first variables) and evaluators (name + kind). Built from the YAML
// structure, not from the validated model, so a message with a bad role or an evaluator with a
// typo still shows up where it is.
import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Range } from '../model';
import { EVALUATOR_KIND_KEYS } from '../promptfile/keys';
import { parsePromptDocument, rangeOfNode, type LineIndex, type PromptDocument } from '../promptfile/positions';
import { formatValue } from '../template';

export type OutlineKind = 'key' | 'section' | 'message' | 'testCase' | 'evaluator';

export interface OutlineSymbol {
  name: string;
  detail: string;
  kind: OutlineKind;
  /** The whole entry (key and value). */
  range: Range;
  /** What to reveal and select: the key, or the list item's first key. */
  selectionRange: Range;
  children: OutlineSymbol[];
}

const SECTIONS = new Set(['modelParameters', 'messages', 'testData', 'evaluators']);
const LABEL_MAX = 60;

/** Outline of a prompt file's text (or of its already parsed YAML). */
export function documentSymbols(source: string | PromptDocument): OutlineSymbol[] {
  const parsed = typeof source === 'string' ? parsePromptDocument(source) : source;
  const root = parsed.doc.contents;
  if (!isMap(root)) return [];
  const index = parsed.index;
  const symbols: OutlineSymbol[] = [];
  for (const pair of root.items) {
    const key = keyName(pair);
    if (key === undefined || !isScalar(pair.key)) continue;
    const symbol: OutlineSymbol = {
      name: key,
      detail: '',
      kind: SECTIONS.has(key) ? 'section' : 'key',
      range: pairRange(index, pair),
      selectionRange: rangeOfNode(index, pair.key),
      children: [],
    };
    const value = pair.value as Node | null;
    if (isScalar(value)) symbol.detail = truncate(firstLine(formatValue(value.value)));
    if (key === 'messages' && isSeq(value))
      symbol.children = value.items.map((item, i) => messageSymbol(index, item as Node, i));
    else if (key === 'testData' && isSeq(value))
      symbol.children = value.items.map((item, i) => testCaseSymbol(index, item as Node, i));
    else if (key === 'evaluators' && isSeq(value))
      symbol.children = value.items.map((item, i) => evaluatorSymbol(index, item as Node, i));
    else if (key === 'modelParameters' && isMap(value))
      symbol.children = value.items.flatMap((p) => scalarPairSymbol(index, p));
    if (isSeq(value))
      symbol.detail = `${value.items.length} ${key === 'testData' ? 'case' : 'item'}${value.items.length === 1 ? '' : 's'}`;
    symbols.push(symbol);
  }
  return symbols;
}

function messageSymbol(index: LineIndex, item: Node, i: number): OutlineSymbol {
  const map = isMap(item) ? item : undefined;
  const role = map ? scalarText(map.get('role', true)) : undefined;
  const content = map?.get('content', true) as Node | undefined;
  let detail = '';
  if (isScalar(content)) detail = truncate(firstNonEmptyLine(formatValue(content.value)));
  else if (isMap(content)) {
    const file = scalarText(content.get('file', true));
    detail = file ? `file: ${file}` : '';
  }
  return {
    name: role ? role : `message ${i + 1}`,
    detail,
    kind: 'message',
    range: nodeRange(index, item),
    selectionRange: firstKeyRange(index, item),
    children: [],
  };
}

function testCaseSymbol(index: LineIndex, item: Node, i: number): OutlineSymbol {
  let label = '';
  if (isMap(item)) {
    const parts: string[] = [];
    for (const pair of item.items) {
      const key = keyName(pair);
      if (key === undefined) continue;
      const value = pair.value as Node | null;
      const text = isScalar(value) ? formatValue(value.value) : value ? JSON.stringify(value.toJSON()) : '';
      parts.push(`${key}: ${firstNonEmptyLine(text)}`);
      if (parts.join(', ').length >= LABEL_MAX) break;
    }
    label = truncate(parts.join(', '));
  }
  return {
    name: `Case ${i + 1}`,
    detail: label,
    kind: 'testCase',
    range: nodeRange(index, item),
    selectionRange: firstKeyRange(index, item),
    children: [],
  };
}

function evaluatorSymbol(index: LineIndex, item: Node, i: number): OutlineSymbol {
  const map = isMap(item) ? item : undefined;
  const name = map ? scalarText(map.get('name', true)) : undefined;
  let kind = '';
  if (map) {
    const keys = map.items.map(keyName);
    const found = EVALUATOR_KIND_KEYS.find((k) => keys.includes(k));
    if (found === 'uses') kind = scalarText(map.get('uses', true)) ?? 'uses';
    else if (found === 'string') kind = stringCriterion(map) ?? 'string';
    else if (found) kind = found;
  }
  return {
    name: name ?? `evaluator ${i + 1}`,
    detail: kind,
    kind: 'evaluator',
    range: nodeRange(index, item),
    selectionRange: firstKeyRange(index, item),
    children: [],
  };
}

function stringCriterion(map: YAMLMap): string | undefined {
  const criteria = map.get('string', true);
  if (!isMap(criteria)) return undefined;
  const first = criteria.items.map(keyName).find((k) => k !== undefined);
  return first ? `string ${first}` : undefined;
}

function scalarPairSymbol(index: LineIndex, pair: Pair): OutlineSymbol[] {
  const key = keyName(pair);
  if (key === undefined || !isScalar(pair.key)) return [];
  const value = pair.value as Node | null;
  return [
    {
      name: key,
      detail: isScalar(value) ? truncate(formatValue(value.value)) : '',
      kind: 'key',
      range: pairRange(index, pair),
      selectionRange: rangeOfNode(index, pair.key),
      children: [],
    },
  ];
}

function keyName(pair: unknown): string | undefined {
  if (!isPair(pair)) return undefined;
  const key = pair.key;
  if (isScalar(key)) return key.value === null || key.value === undefined ? undefined : String(key.value);
  return typeof key === 'string' ? key : undefined;
}

function scalarText(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return String(node.value);
}

function pairRange(index: LineIndex, pair: Pair): Range {
  const keyRange = rangeOfNode(index, pair.key as Node);
  const value = pair.value as Node | null;
  if (!value?.range) return keyRange;
  return { start: keyRange.start, end: nodeRange(index, value).end };
}

/** A node's range, ending on its last non-blank character (block scalars run to the next line). */
export function nodeRange(index: LineIndex, node: Node): Range {
  const range = node.range;
  if (!range) return rangeOfNode(index, node);
  const end = Math.max(range[0], trimEnd(index.text, range[1]));
  return index.range(range[0], end);
}

function firstKeyRange(index: LineIndex, item: Node): Range {
  if (isMap(item)) {
    const first = item.items[0];
    if (first && isScalar(first.key)) return rangeOfNode(index, first.key);
  }
  const range = nodeRange(index, item);
  return { start: range.start, end: range.start };
}

function trimEnd(text: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1] ?? '')) e--;
  return e;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

function firstNonEmptyLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').trim();
}

function truncate(text: string, max = LABEL_MAX): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
