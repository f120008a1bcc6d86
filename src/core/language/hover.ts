// Hover: a key's documentation (from the prompt-file JSON Schema), and for a `{{variable}}` the
// values it takes across the test cases.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Position, PromptFile, Range } from '../model';
import { parsePromptDocument } from '../promptfile/positions';
import { findPlaceholders, formatValue } from '../template';
import { parseLine, schemaShape, StructureScanner, type PathSegment } from './lineContext';
import type { SchemaDocs } from './schemaDocs';

export interface HoverResult {
  /** Markdown. */
  contents: string;
  range: Range;
}

export interface HoverOptions {
  docs?: SchemaDocs;
  /** The last validated model of this file (its test cases, also from an external data file). */
  prompt?: PromptFile;
  /** How many test cases a variable hover lists before "… and N more". */
  maxCases?: number;
}

const VALUE_MAX = 80;
const JUDGE_VARIABLES: Record<string, string> = {
  completion: "the model's reply being judged (filled in by the runner)",
};

export function hover(text: string, position: Position, options: HoverOptions = {}): HoverResult | undefined {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const lineText = lines[position.line] ?? '';
  const column = position.column;
  const lineRange = (start: number, end: number): Range => ({
    start: { line: position.line, column: start },
    end: { line: position.line, column: end },
  });

  const placeholder = findPlaceholders(lineText).find((p) => p.start <= column && column < p.end);
  if (placeholder)
    return {
      contents: variableHover(text, placeholder.name, options),
      range: lineRange(placeholder.start, placeholder.end),
    };

  const located = keyAt(lines, position.line);
  if (!located || column < located.start || column > located.end) return undefined;
  const shape = schemaShape(located.path);
  const key = located.path[located.path.length - 1];
  if (shape[0] === 'testData' && shape.length === 3 && typeof key === 'string') {
    const uses = findPlaceholders(text).filter((p) => p.name === key).length;
    return {
      contents: `**${key}** · test-case variable\n\nUsed by ${uses} placeholder${uses === 1 ? '' : 's'} (\`{{${key}}}\`) in this file.`,
      range: lineRange(located.start, located.end),
    };
  }
  const info = options.docs?.infoAt(shape);
  if (!info) return undefined;
  const parts = [`**${String(key)}**${info.types.length ? ` · ${info.types.join(' | ')}` : ''}`];
  if (info.description) parts.push(info.description);
  if (info.enumValues.length) parts.push(`Values: ${info.enumValues.map((v) => `\`${v}\``).join(', ')}`);
  if (info.defaultValue !== undefined) parts.push(`Default: \`${formatValue(info.defaultValue)}\``);
  return { contents: parts.join('\n\n'), range: lineRange(located.start, located.end) };
}

/** The key on `line` (if any) with its full path from the root mapping. */
export function keyAt(
  lines: readonly string[],
  line: number,
): { path: PathSegment[]; start: number; end: number } | undefined {
  const scanner = new StructureScanner();
  for (let i = 0; i < line; i++) scanner.feed(lines[i] ?? '', i);
  const lineText = lines[line] ?? '';
  if (scanner.inBlockScalar(lineText.length - lineText.trimStart().length, lineText.trim() === '')) return undefined;
  const parts = parseLine(lineText);
  if (!parts.key) return undefined;
  for (const dash of parts.dashes) scanner.openItem(dash, line, parts);
  scanner.openKey(parts.key.start, parts.key.text, line);
  return { path: scanner.path(), start: parts.key.start, end: parts.key.end };
}

function variableHover(text: string, name: string, options: HoverOptions): string {
  const cases = options.prompt ? options.prompt.testData.map((c) => c.vars) : testCasesInText(text);
  const header = `**\`{{${name}}}\`** · test-case variable`;
  if (JUDGE_VARIABLES[name] && !cases.some((vars) => Object.prototype.hasOwnProperty.call(vars, name)))
    return `${header}\n\n${JUDGE_VARIABLES[name]}`;
  if (cases.length === 0) return `${header}\n\nNo test cases: the placeholder is sent as written.`;
  const max = options.maxCases ?? 10;
  const rows: string[] = [];
  const missing: number[] = [];
  cases.forEach((vars, i) => {
    if (!Object.prototype.hasOwnProperty.call(vars, name)) {
      missing.push(i + 1);
      return;
    }
    if (rows.length < max)
      rows.push(`${i + 1}. ${inlineCode(truncate(formatValue(vars[name]).replace(/\r?\n/g, '⏎')))}`);
  });
  const withValue = cases.length - missing.length;
  const parts = [header, `${withValue} of ${cases.length} test case${cases.length === 1 ? '' : 's'} set it:`];
  if (rows.length) parts.push(rows.join('\n'));
  if (withValue > rows.length) parts.push(`… and ${withValue - rows.length} more`);
  if (missing.length)
    parts.push(
      `Not set (left unchanged) in case${missing.length === 1 ? '' : 's'} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`,
    );
  return parts.join('\n\n');
}

/** Test cases written in the file itself, when no validated model is at hand. */
function testCasesInText(text: string): Record<string, unknown>[] {
  const { doc } = parsePromptDocument(text);
  const root = doc.contents;
  if (!isMap(root)) return [];
  const data = root.get('testData', true) as Node | undefined;
  if (!isSeq(data)) return [];
  return data.items.map((item) => {
    if (!isMap(item)) return {};
    const vars: Record<string, unknown> = {};
    for (const pair of item.items)
      if (isScalar(pair.key)) vars[String(pair.key.value)] = (pair.value as Node | null)?.toJSON?.() ?? null;
    return vars;
  });
}

function truncate(value: string): string {
  return value.length > VALUE_MAX ? `${value.slice(0, VALUE_MAX - 1)}…` : value;
}

/** Markdown inline code that survives backticks in the value. */
function inlineCode(value: string): string {
  if (value === '') return '*(empty)*';
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}
