// Where in the YAML structure a position is, worked out from indentation line by line.
//
// Completion runs on half-typed text (`    mod` with no colon yet, an item with no key), which a
// YAML parser reads as an error or as something else entirely; indentation still says where the
// cursor is. This reads block-style YAML the way prompt files are written: block mappings, block
// sequences (also "compact" ones at their parent key's column), block scalars (`|`, `>`), plain
// and quoted one-line scalars. Flow collections and multi-line flow scalars are treated as values
// whose inside has no structure.

export type PathSegment = string | number;

export interface KeyFrame {
  kind: 'key';
  /** Column of the key's first character. */
  column: number;
  key: string;
  line: number;
  /** Keys seen so far in the mapping this key opens, and the number of list items under it. */
  childKeys: string[];
  itemCount: number;
}

export interface ItemFrame {
  kind: 'item';
  dashColumn: number;
  /** Column where the item's content (its first key) starts. */
  contentColumn: number;
  index: number;
  line: number;
  childKeys: string[];
  itemCount: number;
}

type Frame = KeyFrame | ItemFrame;

/** One line split into its structural parts. */
export interface LineParts {
  indent: number;
  /** Columns of the `- ` item markers at the start of the line. */
  dashes: number[];
  /** Column where content after the indentation and dashes starts. */
  contentColumn: number;
  key?: { text: string; start: number; end: number; colon: number };
  /** Value text after `key:` (or after the dashes when there is no key), without a trailing comment. */
  value?: { text: string; start: number; end: number };
  /** True when the line only holds a comment (or is blank). */
  empty: boolean;
}

const QUOTED_KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')[ \t]*:(?=[ \t]|$)/;
// A plain key: up to the first `:` that is followed by a blank or the end of the line.
const PLAIN_KEY = /^([^\s#"'{[\]},&*!|>%@`][^#]*?|[-?:][^\s#][^#]*?)[ \t]*:(?=[ \t]|$)/;
const BLOCK_SCALAR_HEADER = /^[|>][-+0-9]*[ \t]*(?:#.*)?$/;

/** Splits a line (or the part of it before the cursor) into indentation, dashes, key and value. */
export function parseLine(text: string): LineParts {
  let pos = 0;
  while (pos < text.length && text[pos] === ' ') pos++;
  const indent = pos;
  const dashes: number[] = [];
  while (text[pos] === '-' && (pos + 1 === text.length || text[pos + 1] === ' ' || text[pos + 1] === '\t')) {
    dashes.push(pos);
    pos++;
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t')) pos++;
  }
  const contentColumn = pos;
  const rest = text.slice(pos);
  const empty = dashes.length === 0 && (rest.trim() === '' || rest.trimStart().startsWith('#'));
  if (empty) return { indent, dashes, contentColumn, empty };
  const keyMatch = QUOTED_KEY.exec(rest) ?? PLAIN_KEY.exec(rest);
  const parts: LineParts = { indent, dashes, contentColumn, empty };
  let valueStart = pos;
  if (keyMatch && keyMatch[1] !== undefined) {
    const raw = keyMatch[1];
    parts.key = { text: unquoteKey(raw), start: pos, end: pos + raw.length, colon: pos + keyMatch[0].length - 1 };
    valueStart = pos + keyMatch[0].length;
  }
  while (valueStart < text.length && (text[valueStart] === ' ' || text[valueStart] === '\t')) valueStart++;
  const valueEnd = valueEndOf(text, valueStart);
  if (valueEnd > valueStart || parts.key === undefined)
    parts.value = { text: text.slice(valueStart, valueEnd), start: valueStart, end: valueEnd };
  return parts;
}

function unquoteKey(raw: string): string {
  if (raw.startsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      return typeof parsed === 'string' ? parsed : raw.slice(1, -1);
    } catch {
      return raw.slice(1, -1);
    }
  }
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  return raw;
}

/** End of a value: before a ` #` comment that is outside quotes, trailing blanks removed. */
function valueEndOf(text: string, start: number): number {
  let quote: string | undefined;
  let end = text.length;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === "'" && quote === "'" && text[i + 1] === "'") i++;
      else if (c === quote) quote = undefined;
    } else if ((c === '"' || c === "'") && i === start) {
      quote = c;
    } else if (c === '#' && (i === start || text[i - 1] === ' ' || text[i - 1] === '\t')) {
      end = i;
      break;
    }
  }
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return end;
}

export function isBlockScalarHeader(value: string): boolean {
  return BLOCK_SCALAR_HEADER.test(value);
}

/** The structure above a line: the open mappings and list items, outermost first. */
export class StructureScanner {
  private readonly stack: Frame[] = [];
  private readonly root: { childKeys: string[]; itemCount: number } = { childKeys: [], itemCount: 0 };
  /** Column of the node owning the open block scalar; lines indented deeper belong to it. */
  private blockScalarParent: number | undefined;
  private blockScalarPath: PathSegment[] | undefined;

  /** Feed one whole line. */
  feed(text: string, line: number): void {
    if (this.blockScalarParent !== undefined) {
      const indent = text.length - text.trimStart().length;
      if (text.trim() === '' || indent > this.blockScalarParent) return;
      this.blockScalarParent = undefined;
      this.blockScalarPath = undefined;
    }
    const parts = parseLine(text);
    if (parts.empty) return;
    if (parts.dashes.length === 0 && !parts.key) {
      // A continuation line of a multi-line flow scalar or flow collection: no structure.
      return;
    }
    for (const dash of parts.dashes) this.openItem(dash, line, parts);
    if (parts.key) {
      const frame = this.openKey(parts.key.start, parts.key.text, line);
      const value = parts.value?.text ?? '';
      if (isBlockScalarHeader(value)) this.startBlockScalar(frame.column);
    } else if (parts.value && isBlockScalarHeader(parts.value.text)) {
      const last = parts.dashes[parts.dashes.length - 1];
      if (last !== undefined) this.startBlockScalar(last);
    }
  }

  private startBlockScalar(parentColumn: number): void {
    this.blockScalarParent = parentColumn;
    this.blockScalarPath = this.path();
  }

  /** True when the next line, if blank or indented past `column`, is inside a block scalar. */
  inBlockScalar(indent: number, blank: boolean): PathSegment[] | undefined {
    if (this.blockScalarParent === undefined) return undefined;
    return blank || indent > this.blockScalarParent ? this.blockScalarPath : undefined;
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  private parentCounters(): { childKeys: string[]; itemCount: number } {
    return this.top() ?? this.root;
  }

  /** Pops everything a key at `column` closes. */
  closeForKey(column: number): void {
    for (let top = this.top(); top; top = this.top()) {
      if (top.kind === 'key' ? top.column >= column : top.contentColumn > column) this.stack.pop();
      else break;
    }
  }

  /** Pops everything a list item at `dashColumn` closes. */
  closeForItem(dashColumn: number): void {
    for (let top = this.top(); top; top = this.top()) {
      if (top.kind === 'key' ? top.column > dashColumn : top.dashColumn >= dashColumn) this.stack.pop();
      else break;
    }
  }

  openKey(column: number, key: string, line: number): KeyFrame {
    this.closeForKey(column);
    this.parentCounters().childKeys.push(key);
    const frame: KeyFrame = { kind: 'key', column, key, line, childKeys: [], itemCount: 0 };
    this.stack.push(frame);
    return frame;
  }

  openItem(dashColumn: number, line: number, parts: LineParts): ItemFrame {
    this.closeForItem(dashColumn);
    const parent = this.parentCounters();
    const nextDash = parts.dashes.find((d) => d > dashColumn);
    const frame: ItemFrame = {
      kind: 'item',
      dashColumn,
      contentColumn: nextDash ?? parts.contentColumn,
      index: parent.itemCount++,
      line,
      childKeys: [],
      itemCount: 0,
    };
    this.stack.push(frame);
    return frame;
  }

  /** Keys and list indexes of the open frames, outermost first. */
  path(): PathSegment[] {
    return this.stack.map((f) => (f.kind === 'key' ? f.key : f.index));
  }

  /** Keys already present in the innermost open frame. */
  siblingKeys(): string[] {
    return [...this.parentCounters().childKeys];
  }
}

export type CursorContext =
  | {
      /** The cursor is where a key goes (possibly half-typed). */
      kind: 'key';
      /** Path of the mapping the key belongs to. */
      path: PathSegment[];
      /** Column where the key starts, and the text typed so far. */
      start: number;
      prefix: string;
      /** Keys the mapping already has (before and after this line). */
      existingKeys: string[];
      /** True when the line starts a list item (`- ` before the key). */
      inNewItem: boolean;
    }
  | {
      /** The cursor is in the value of a key on the same line. */
      kind: 'value';
      /** Path including the key. */
      path: PathSegment[];
      key: string;
      /** Value range on the line (start column, end column before a comment) and text before the cursor. */
      start: number;
      end: number;
      prefix: string;
    }
  | {
      /** The cursor is inside a block scalar's text (e.g. a message's `content: |`). */
      kind: 'text';
      path: PathSegment[];
    };

/** What kind of thing the cursor at (line, column) is on. */
export function cursorContext(lines: readonly string[], line: number, column: number): CursorContext {
  const scanner = new StructureScanner();
  for (let i = 0; i < line && i < lines.length; i++) scanner.feed(lines[i] ?? '', i);
  const lineText = lines[line] ?? '';
  const before = lineText.slice(0, column);
  const indent = before.length - before.trimStart().length;
  const blockPath = scanner.inBlockScalar(
    lineText.trim() === '' ? column : lineText.length - lineText.trimStart().length,
    false,
  );
  if (blockPath) return { kind: 'text', path: blockPath };

  const parts = parseLine(before);
  for (const dash of parts.dashes) scanner.openItem(dash, line, parts);
  if (parts.key) {
    scanner.openKey(parts.key.start, parts.key.text, line);
    const whole = parseLine(lineText);
    const valueStart = parts.value?.start ?? Math.max(parts.key.colon + 1, Math.min(column, parts.key.colon + 2));
    const end = whole.key?.start === parts.key.start && whole.value ? Math.max(whole.value.end, column) : column;
    return {
      kind: 'value',
      path: scanner.path(),
      key: parts.key.text,
      start: Math.min(valueStart, column),
      end,
      prefix: before.slice(Math.min(valueStart, column)),
    };
  }
  const start = parts.dashes.length > 0 ? parts.contentColumn : indent;
  scanner.closeForKey(start);
  const existing = new Set(scanner.siblingKeys());
  if (parts.dashes.length === 0) for (const key of laterSiblingKeys(lines, line + 1, start)) existing.add(key);
  return {
    kind: 'key',
    path: scanner.path(),
    start,
    prefix: before.slice(start),
    existingKeys: [...existing],
    inNewItem: parts.dashes.length > 0,
  };
}

/** Keys at exactly `column` on the lines after `fromLine`, until the mapping ends. */
function laterSiblingKeys(lines: readonly string[], fromLine: number, column: number): string[] {
  const keys: string[] = [];
  for (let i = fromLine; i < lines.length; i++) {
    const parts = parseLine(lines[i] ?? '');
    if (parts.empty) continue;
    const at = parts.dashes.length > 0 ? (parts.dashes[0] ?? parts.indent) : parts.indent;
    if (at < column) break;
    if (parts.dashes.length === 0 && parts.indent === column && parts.key) keys.push(parts.key.text);
    if (parts.dashes.length > 0 && at === column) break;
  }
  return keys;
}

/** List indexes become `[]`: the shape used by KEY_CONTEXTS schema paths. */
export function schemaShape(path: readonly PathSegment[]): string[] {
  return path.map((s) => (typeof s === 'number' ? '[]' : s));
}
