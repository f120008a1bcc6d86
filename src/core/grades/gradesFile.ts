// A grades file given on the command line (`promptlab agreement --grades FILE`): CSV
// `case,grade[,note]` or JSONL `{"case": 3, "grade": "pass", "note": "…"}`, cases named by the
// 1-based number the CLI table shows (`3`, or `3.2` for sample 2 of case 3 when a run repeats).
// Bad rows are reported with file and line and skipped; the other rows still count.
import { parse as parseCsv } from 'csv-parse/sync';
import type { CaseResult, RunHeader } from '../run/types';
import { forEachJsonLine, isValidScore } from './store';
import type { GradedSample, Verdict } from './types';

export interface GradesFileResult {
  graded: GradedSample[];
  /** `file:line: problem` per skipped row. */
  warnings: string[];
}

interface RawRow {
  line: number;
  caseText: string;
  gradeText: string;
  note?: string;
  revision?: string;
}

const COLUMNS = ['case', 'grade', 'note', 'revision'] as const;
type Column = (typeof COLUMNS)[number];

/** Each physical line is one row, so a broken quote costs that line only. */
function csvRows(file: string, text: string, warnings: string[]): RawRow[] {
  const rows: RawRow[] = [];
  let columns: Column[] = ['case', 'grade', 'note'];
  let first = true;
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    let fields: string[];
    try {
      fields = (parseCsv(line, { relax_column_count: true, trim: true }) as string[][])[0] ?? [];
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/ at line \d+.*$/, '') : String(error);
      warnings.push(`${file}:${i + 1}: unreadable CSV line (${reason}), ignored`);
      return;
    }
    const isHeader = first && fields[0]?.toLowerCase() === 'case';
    first = false;
    if (isHeader) {
      const named = fields.map((f) => f.toLowerCase());
      const unknown = named.filter((f) => !(COLUMNS as readonly string[]).includes(f));
      if (unknown.length > 0)
        warnings.push(`${file}:${i + 1}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} ignored`);
      columns = named as Column[];
      return;
    }
    const value = (column: Column): string | undefined => {
      const at = columns.indexOf(column);
      return at < 0 ? undefined : fields[at];
    };
    const row: RawRow = { line: i + 1, caseText: value('case') ?? '', gradeText: value('grade') ?? '' };
    // An unquoted note with commas spills into more fields: keep them as the note's text.
    const noteAt = columns.indexOf('note');
    const note = noteAt >= 0 && noteAt === columns.length - 1 ? fields.slice(noteAt).join(', ') : value('note');
    if (note !== undefined && note !== '') row.note = note;
    const revision = value('revision');
    if (revision !== undefined && revision !== '') row.revision = revision;
    rows.push(row);
  });
  return rows;
}

function jsonlRows(file: string, text: string, warnings: string[]): RawRow[] {
  const rows: RawRow[] = [];
  forEachJsonLine(file, text, warnings, (value, line) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      warnings.push(`${file}:${line}: not a JSON object, line ignored`);
      return;
    }
    const v = value as Record<string, unknown>;
    const text = (x: unknown): string => (typeof x === 'string' || typeof x === 'number' ? String(x) : '');
    const row: RawRow = { line, caseText: text(v.case), gradeText: text(v.grade) };
    if (typeof v.note === 'string' && v.note !== '') row.note = v.note;
    if (typeof v.revision === 'string' && v.revision !== '') row.revision = v.revision;
    rows.push(row);
  });
  return rows;
}

/** True when `revision` names this run: its run id, or a prefix (≥ 7 hex) of its content hash or git commit. */
export function revisionMatches(revision: string, header: Pick<RunHeader, 'runId' | 'contentHash' | 'git'>): boolean {
  const wanted = revision.trim().toLowerCase();
  if (wanted === header.runId.toLowerCase()) return true;
  if (!/^[0-9a-f]{7,}$/.test(wanted)) return false;
  return header.contentHash.startsWith(wanted) || (header.git?.commit.startsWith(wanted) ?? false);
}

function parseGrade(text: string): { verdict: Verdict } | { score: number } | undefined {
  const lower = text.trim().toLowerCase();
  if (lower === 'pass' || lower === 'fail') return { verdict: lower };
  if (/^\d+$/.test(lower) && isValidScore(Number(lower))) return { score: Number(lower) };
  return undefined;
}

/**
 * Places the rows of a grades file on a run's samples. `format` is taken from the file name
 * (`.jsonl`/`.ndjson`: JSONL, anything else CSV) unless given.
 */
export function parseGradesFile(
  file: string,
  text: string,
  run: { header: Pick<RunHeader, 'runId' | 'contentHash' | 'git' | 'caseCount'>; cases: readonly CaseResult[] },
  format: 'csv' | 'jsonl' = /\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : 'csv',
): GradesFileResult {
  const warnings: string[] = [];
  const rows = format === 'jsonl' ? jsonlRows(file, text, warnings) : csvRows(file, text, warnings);
  const byIndex = new Map(run.cases.map((c) => [c.caseIndex, c]));
  const seen = new Map<string, number>();
  const graded: GradedSample[] = [];
  for (const row of rows) {
    const where = `${file}:${row.line}`;
    const match = /^(\d+)(?:\.(\d+))?$/.exec(row.caseText.trim());
    if (!match) {
      warnings.push(
        `${where}: '${row.caseText}' is not a case number (1-based, as the CLI table shows it), row ignored`,
      );
      continue;
    }
    const caseNumber = Number(match[1]);
    const result = byIndex.get(caseNumber - 1);
    if (caseNumber < 1 || !result) {
      const why =
        caseNumber >= 1 && caseNumber <= run.header.caseCount
          ? 'did not finish in this run'
          : `is not in this run (it has ${run.header.caseCount} case${run.header.caseCount === 1 ? '' : 's'})`;
      warnings.push(`${where}: case ${caseNumber} ${why}, row ignored`);
      continue;
    }
    let sampleNumber: number;
    if (match[2] !== undefined) {
      sampleNumber = Number(match[2]);
      if (sampleNumber < 1 || sampleNumber > result.samples.length) {
        warnings.push(
          `${where}: case ${caseNumber} has ${result.samples.length} sample${result.samples.length === 1 ? '' : 's'}, not ${sampleNumber}; row ignored`,
        );
        continue;
      }
    } else if (result.samples.length > 1) {
      warnings.push(
        `${where}: case ${caseNumber} has ${result.samples.length} samples: name one as ${caseNumber}.1 … ${caseNumber}.${result.samples.length}; row ignored`,
      );
      continue;
    } else sampleNumber = 1;
    const grade = parseGrade(row.gradeText);
    if (!grade) {
      warnings.push(`${where}: grade '${row.gradeText}' is neither pass, fail nor a score from 1 to 5; row ignored`);
      continue;
    }
    if (row.revision !== undefined && !revisionMatches(row.revision, run.header)) {
      warnings.push(
        `${where}: the row grades revision '${row.revision}' of the prompt, not this run's (${run.header.contentHash.slice(0, 12)}); row ignored`,
      );
      continue;
    }
    const id = match[2] !== undefined ? `${caseNumber}.${sampleNumber}` : String(caseNumber);
    const earlier = seen.get(`${caseNumber}.${sampleNumber}`);
    if (earlier !== undefined) {
      warnings.push(`${where}: case ${id} is graded twice (first on line ${earlier}); this row ignored`);
      continue;
    }
    seen.set(`${caseNumber}.${sampleNumber}`, row.line);
    const sample = result.samples.find((s) => s.sample === sampleNumber - 1);
    if (!sample || sample.error !== undefined) {
      warnings.push(`${where}: case ${id} has no reply to grade (its request failed); row ignored`);
      continue;
    }
    const placed: GradedSample = { caseIndex: result.caseIndex, sample: sampleNumber - 1, source: where, ...grade };
    if (row.note !== undefined) placed.note = row.note;
    graded.push(placed);
  }
  // In line order, whether the line was unreadable or its row did not fit the run.
  const lineOf = (warning: string): number => Number(/:(\d+): /.exec(warning.slice(file.length))?.[1] ?? 0);
  return { graded, warnings: warnings.sort((a, b) => lineOf(a) - lineOf(b)) };
}
