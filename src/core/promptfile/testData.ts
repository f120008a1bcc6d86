// External test data (our extension): `testData: cases.jsonl | .json | .csv | .yaml | .yml`,
// resolved relative to the prompt file. Problems inside the data file are reported in THAT file
// at their line; the caller adds one summary diagnostic on the `testData` value.
import { parse as parseCsv } from 'csv-parse/sync';
import { isMap, isNode, isSeq } from 'yaml';
import type { Diagnostic, Range, TestCase } from '../model';
import { parseJson } from './json';
import { LineIndex, parsePromptDocument, rangeOfNode } from './positions';
import { GENERATED_MARKER, TEST_DATA_EXTENSIONS } from './keys';

export interface ExternalTestData {
  cases: TestCase[];
  diagnostics: Diagnostic[];
}

export type TestDataFormat = 'jsonl' | 'json' | 'csv' | 'yaml';

export function testDataFormat(filePath: string): TestDataFormat | undefined {
  const lower = filePath.toLowerCase();
  const ext = TEST_DATA_EXTENSIONS.find((e) => lower.endsWith(e));
  if (!ext) return undefined;
  return ext === '.yml' || ext === '.yaml' ? 'yaml' : (ext.slice(1) as TestDataFormat);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parse the text of a test-data file. `file` is the path put on diagnostics and cases. */
export function parseTestDataText(file: string, text: string, format: TestDataFormat): ExternalTestData {
  const index = new LineIndex(text);
  const cases: TestCase[] = [];
  const diagnostics: Diagnostic[] = [];
  const problem = (range: Range, code: string, message: string) =>
    diagnostics.push({ file, range, severity: 'error', code, message });
  const addCase = (row: Record<string, unknown>, range: Range) => {
    const { [GENERATED_MARKER]: marker, ...vars } = row;
    // A CSV row without the marker has an empty cell in its column.
    const generated = marker === undefined || marker === null || marker === '' ? undefined : String(marker);
    cases.push({ index: cases.length, vars, range, sourceFile: file, ...(generated ? { generated } : {}) });
  };

  switch (format) {
    case 'jsonl': {
      for (let line = 0; line < index.lineCount; line++) {
        const range = index.lineRange(line);
        const start = index.offsetAt(range.start);
        const lineText = text.slice(start, index.offsetAt(range.end));
        if (lineText.trim() === '') continue;
        const parsed = parseJson(lineText);
        if (!parsed.ok) {
          problem(
            index.range(start + parsed.offset, start + parsed.offset + 1),
            'test-data-syntax',
            `Line ${line + 1} is not valid JSON: ${parsed.message}`,
          );
        } else if (!isPlainObject(parsed.value)) {
          problem(
            range,
            'test-data-shape',
            `Line ${line + 1} must be a JSON object (one test case), got ${kindOf(parsed.value)}`,
          );
        } else {
          addCase(parsed.value, range);
        }
      }
      break;
    }
    case 'json': {
      const parsed = parseJson(text, { topLevelSpans: true });
      if (!parsed.ok) {
        problem(index.range(parsed.offset, parsed.offset + 1), 'test-data-syntax', `Not valid JSON: ${parsed.message}`);
        break;
      }
      if (!Array.isArray(parsed.value)) {
        problem(
          index.range(0, Math.min(text.length, 1)),
          'test-data-shape',
          `A .json test-data file must hold an array of objects, got ${kindOf(parsed.value)}`,
        );
        break;
      }
      parsed.value.forEach((item: unknown, i: number) => {
        const span = parsed.elementSpans?.[i];
        const range = span ? index.range(span[0], span[1]) : index.range(0, 0);
        if (isPlainObject(item)) addCase(item, range);
        else
          problem(range, 'test-data-shape', `Element ${i + 1} must be an object (one test case), got ${kindOf(item)}`);
      });
      break;
    }
    case 'csv': {
      try {
        const records = parseCsv(text, { columns: true, skip_empty_lines: true, bom: true, info: true }) as {
          record: Record<string, string>;
          info: { lines: number };
        }[];
        // info.lines is the 1-based line where a record ends; a record starts after the previous one.
        let previousEnd = 1;
        for (const { record, info } of records) {
          let first = previousEnd;
          while (first < info.lines - 1 && index.lineRange(first).start.column === index.lineRange(first).end.column)
            first++;
          const last = Math.max(first, info.lines - 1);
          addCase({ ...record }, { start: index.lineRange(first).start, end: index.lineRange(last).end });
          previousEnd = info.lines;
        }
      } catch (e) {
        const lines =
          e instanceof Error && typeof (e as Error & { lines?: unknown }).lines === 'number'
            ? (e as Error & { lines: number }).lines
            : 1;
        problem(
          index.lineRange(Math.max(0, lines - 1)),
          'test-data-syntax',
          `Not valid CSV: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      break;
    }
    case 'yaml': {
      const { doc } = parsePromptDocument(text);
      for (const error of doc.errors)
        problem(index.range(error.pos[0], error.pos[1]), 'test-data-syntax', error.message);
      if (doc.errors.length) break;
      const root = doc.contents;
      if (!isSeq(root)) {
        problem(
          rangeOfNode(index, root),
          'test-data-shape',
          'A YAML test-data file must hold a list of mappings (one per test case)',
        );
        break;
      }
      root.items.forEach((item, i) => {
        const range = rangeOfNode(index, isNode(item) ? item : undefined, rangeOfNode(index, root));
        if (isMap(item)) {
          const vars: unknown = item.toJSON();
          if (isPlainObject(vars)) addCase(vars, range);
        } else {
          problem(range, 'test-data-shape', `Item ${i + 1} must be a mapping (one test case)`);
        }
      });
      break;
    }
  }
  return { cases, diagnostics };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
