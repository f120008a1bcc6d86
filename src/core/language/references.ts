// Files a prompt file points at (`testData: cases.jsonl`, `content: {file: …}`), with the range
// of each reference, for go-to-definition and document links.
import * as nodePath from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Position, Range } from '../model';
import { parsePromptDocument, rangeOfNode, type PromptDocument } from '../promptfile/positions';

export interface FileReference {
  /** Where the path is written in the prompt file. */
  range: Range;
  /** The path as written. */
  written: string;
  /** Absolute path, resolved against the prompt file's folder. */
  target: string;
  kind: 'testData' | 'contentFile';
}

export function fileReferences(promptPath: string, source: string | PromptDocument): FileReference[] {
  const parsed = typeof source === 'string' ? parsePromptDocument(source) : source;
  const root = parsed.doc.contents;
  if (!isMap(root)) return [];
  const baseDir = nodePath.dirname(nodePath.resolve(promptPath));
  const found: FileReference[] = [];
  const add = (node: unknown, kind: FileReference['kind']) => {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') return;
    found.push({
      range: rangeOfNode(parsed.index, node),
      written: node.value,
      target: nodePath.resolve(baseDir, node.value),
      kind,
    });
  };
  add(root.get('testData', true), 'testData');
  const messages = root.get('messages', true) as Node | undefined;
  if (isSeq(messages)) {
    for (const item of messages.items) {
      if (!isMap(item)) continue;
      const content = item.get('content', true) as Node | undefined;
      if (isMap(content)) add(content.get('file', true), 'contentFile');
    }
  }
  return found;
}

/** The file reference under `position`, if any. */
export function referenceAt(
  promptPath: string,
  source: string | PromptDocument,
  position: Position,
): FileReference | undefined {
  return fileReferences(promptPath, source).find((r) => contains(r.range, position));
}

function contains(range: Range, p: Position): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.column >= range.start.column);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.column <= range.end.column);
  return afterStart && beforeEnd;
}
