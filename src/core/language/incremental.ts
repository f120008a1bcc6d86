// Re-parsing a big prompt file after each keystroke without re-parsing all of it.
//
// Nearly all of a large prompt file is its `testData:` list, and an edit touches one test case.
// The file is cut into the text around the list (small) and one chunk per list item; each chunk
// is parsed on its own and cached by its text, and the pieces are put back together into one
// yaml Document whose node ranges are those of the whole file. Anything this cutting could get
// wrong falls back to a plain full parse: anchors/aliases/tags/merge keys (they can reach across
// chunks), several documents, tabs or CR in the text, a list whose items are not cleanly indented,
// and any chunk with a YAML error or warning (so every error message comes from a whole parse).
import {
  LineCounter,
  parseDocument,
  YAMLSeq,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type ParsedNode,
} from 'yaml';
import { LineIndex, parsePromptDocument, type PromptDocument } from '../promptfile/positions';

/** Below this size a full parse is fast enough. */
const MIN_INCREMENTAL_LENGTH = 16_384;
const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, keepSourceTokens: false, merge: true } as const;
const UNSAFE = /(?:^|[\s,[{])[&*!][^\s]|<<\s*:|^(?:---|\.\.\.)(?:\s|$)|\t|\r|^\uFEFF/m;

interface ChunkParse {
  /** The item node, its ranges relative to `offset`. */
  node: ParsedNode;
  offset: number;
  /** The item ends with a comment that runs to the end of its chunk. */
  trailingComment: boolean;
}

/**
 * Parses successive versions of one prompt file. A returned document shares unchanged test-case
 * nodes with the next one (their ranges are moved in place), so only the newest result is valid.
 */
export class IncrementalPromptParser {
  private chunks = new Map<string, ChunkParse[]>();
  /** Full parses taken (for the bench and tests). */
  fullParses = 0;

  parse(text: string): PromptDocument {
    const result = text.length >= MIN_INCREMENTAL_LENGTH && !UNSAFE.test(text) ? this.tryIncremental(text) : undefined;
    if (result) return result;
    this.fullParses++;
    return parsePromptDocument(text);
  }

  private tryIncremental(text: string): PromptDocument | undefined {
    const region = testDataRegion(text);
    if (!region) return undefined;
    const previous = this.chunks;
    const next = new Map<string, ChunkParse[]>();
    const items: ParsedNode[] = [];
    for (let i = 0; i < region.items.length; i++) {
      const [start, end] = region.items[i] ?? [0, 0];
      const chunkText = text.slice(start, end);
      const reusable = previous.get(chunkText);
      let chunk = reusable?.pop();
      if (!chunk) {
        const node = parseItem(chunkText);
        if (!node?.range) return undefined;
        chunk = {
          node,
          offset: 0,
          trailingComment: node.range[1] !== node.range[2] && node.range[2] === chunkText.length,
        };
      }
      shiftNode(chunk.node, start - chunk.offset);
      chunk.offset = start;
      const range = chunk.node.range;
      // In a whole parse a trailing comment's end runs on to the next item's dash.
      if (range && chunk.trailingComment) range[2] = i + 1 < region.items.length ? end + region.dashColumn : end;
      items.push(chunk.node);
      const list = next.get(chunkText) ?? [];
      list.push(chunk);
      next.set(chunkText, list);
    }
    this.chunks = next;

    const removed = region.end - region.start;
    const skeletonText = text.slice(0, region.start) + text.slice(region.end);
    const lineCounter = new LineCounter();
    const doc = parseDocument(skeletonText, { ...PARSE_OPTIONS, lineCounter });
    const root = doc.contents;
    if (!isMap(root)) return undefined;
    // Put the skeleton's nodes back where they are in the whole text.
    shiftAfter(doc, region.start, removed);
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'testData');
    if (!pair || !isScalar(pair.value) || pair.value.value !== null) return undefined;
    const last = items[items.length - 1]?.range;
    if (!last) return undefined;
    const seq = new YAMLSeq<ParsedNode>(doc.schema) as YAMLSeq.Parsed<ParsedNode>;
    seq.items = items;
    seq.range = [region.firstDash, last[1], last[2]];
    pair.value = seq;
    // The skeleton's "empty value" ended where the list now starts; later nodes were shifted already.
    const lineCounterFull = new LineCounter();
    const index = new LineIndex(text);
    for (const start of index.lineStarts) lineCounterFull.addNewLine(start);
    return { doc, lineCounter: lineCounterFull, index, text };
  }
}

/** The `testData:` block list: where its item lines start and end, one [start, end) per item. */
function testDataRegion(
  text: string,
): { start: number; end: number; firstDash: number; dashColumn: number; items: [number, number][] } | undefined {
  const header = /^testData[ ]*:[ ]*(?:#.*)?\n/m.exec(text);
  if (!header) return undefined;
  let at = header.index + header[0].length;
  const items: [number, number][] = [];
  let dashColumn = -1;
  let start = -1;
  let firstDash = -1;
  let itemStart = -1;
  while (at < text.length) {
    const lineEnd = text.indexOf('\n', at);
    const next = lineEnd < 0 ? text.length : lineEnd + 1;
    const line = text.slice(at, lineEnd < 0 ? text.length : lineEnd);
    const indent = line.length - line.trimStart().length;
    const content = line.slice(indent);
    if (content === '' || content.startsWith('#')) {
      // Blank lines and comments belong to the item before them (or precede the first one).
      at = next;
      continue;
    }
    const isDash = content === '-' || content.startsWith('- ');
    if (dashColumn < 0) {
      if (!isDash) return undefined;
      dashColumn = indent;
      start = at;
      firstDash = at + indent;
    }
    if (indent === 0 && !isDash) break; // the next top-level key
    if (isDash && indent === dashColumn) {
      if (itemStart >= 0) items.push([itemStart, at]);
      itemStart = at;
    } else if (indent <= dashColumn) {
      // A line that is neither a new item nor inside one: not a shape this cutting understands.
      return undefined;
    }
    at = next;
  }
  if (itemStart < 0) return undefined;
  items.push([itemStart, at]);
  return { start, end: at, firstDash, dashColumn, items };
}

/** Parses one list item's text on its own; undefined if it is not exactly one clean item. */
function parseItem(chunkText: string): ParsedNode | undefined {
  const doc = parseDocument(chunkText, PARSE_OPTIONS);
  if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
  const seq = doc.contents;
  if (!isSeq(seq) || seq.items.length !== 1) return undefined;
  return seq.items[0] ?? undefined;
}

function shiftRange(range: [number, number, number] | null | undefined, delta: number, from = 0): void {
  if (!range) return;
  for (let i = 0; i < 3; i++) if ((range[i] ?? 0) >= from) range[i] = (range[i] ?? 0) + delta;
}

/** Adds `delta` to every range in the node's tree. */
function shiftNode(node: unknown, delta: number): void {
  if (delta === 0) return;
  walk(node, (n) => shiftRange(n.range, delta));
}

/** Adds `delta` to every offset ≥ `from` in the parsed YAML (nodes, its own range, problems). */
function shiftAfter(doc: Document, from: number, delta: number): void {
  if (delta === 0) return;
  walk(doc.contents, (n) => shiftRange(n.range, delta, from));
  shiftRange(doc.range, delta, from);
  for (const problem of [...doc.errors, ...doc.warnings])
    for (let i = 0; i < 2; i++) if ((problem.pos[i] ?? 0) >= from) problem.pos[i] = (problem.pos[i] ?? 0) + delta;
}

function walk(node: unknown, visit: (n: Node) => void): void {
  if (isPair(node)) {
    walk(node.key, visit);
    walk(node.value, visit);
    return;
  }
  if (!node || typeof node !== 'object' || !('range' in node)) return;
  visit(node as Node);
  if (isMap(node) || isSeq(node)) for (const item of node.items) walk(item, visit);
}
