// Offset ↔ position conversion and node ranges. Positions are 0-based, columns in UTF-16 code
// units (the same as JS string offsets, LSP and vscode).
import { LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Position, Range } from '../model';

/** Line starts of a text, for converting offsets to positions and back. */
export class LineIndex {
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    this.lineStarts = starts;
  }

  /** Position of `offset` (clamped into the text). */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(Math.floor(offset), this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, column: clamped - (this.lineStarts[low] ?? 0) };
  }

  /** Offset of `position` (clamped to the line and the text). */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line] ?? 0;
    const next = this.lineStarts[position.line + 1];
    const lineEnd = next === undefined ? this.text.length : next - 1;
    return Math.max(start, Math.min(start + Math.max(0, position.column), lineEnd));
  }

  range(start: number, end: number): Range {
    const a = this.positionAt(start);
    return { start: a, end: this.positionAt(Math.max(start, end)) };
  }

  /** The range of a whole line (without its line break). */
  lineRange(line: number): Range {
    const start = this.offsetAt({ line, column: 0 });
    const next = this.lineStarts[line + 1];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.range(start, end);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

export interface PromptDocument {
  doc: Document.Parsed;
  /** Filled by the yaml parser; `index` gives the same positions for any offset. */
  lineCounter: LineCounter;
  index: LineIndex;
  text: string;
}

/** Parse YAML keeping node ranges; never throws (problems are in `doc.errors` / `doc.warnings`). */
export function parsePromptDocument(text: string): PromptDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    keepSourceTokens: false,
    merge: true,
  });
  return { doc, lineCounter, index: new LineIndex(text), text };
}

/** Offsets [start, end) of a node's value (without trailing comments/newlines), if it came from source. */
export function offsetsOfNode(node: Node | null | undefined): [number, number] | undefined {
  const r = node?.range;
  if (!r) return undefined;
  return [r[0], r[1]];
}

/** Range of a parsed node's value, or `fallback` when the node has no source range. */
export function rangeOfNode(index: LineIndex, node: Node | null | undefined, fallback?: Range): Range {
  const offsets = offsetsOfNode(node);
  if (offsets) {
    // Block collections end after their last line break; stop at the last visible character.
    let end = offsets[1];
    while (end > offsets[0] && /\s/.test(index.text[end - 1] ?? '')) end--;
    return index.range(offsets[0], end);
  }
  return fallback ?? index.range(0, 0);
}

/** `a` lies inside `b` (inclusive). */
export function containsRange(outer: Range, inner: Range): boolean {
  const before = (p: Position, q: Position) => p.line < q.line || (p.line === q.line && p.column <= q.column);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}
