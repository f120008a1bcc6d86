// The grades file `<workspace>/.promptlab/grades.jsonl`: one JSON object per line, one line per
// graded output, sorted by (prompt, caseKey, outputHash) and written with a fixed key order, so
// a change of grade is a one-line diff. Writes go to a temporary file renamed into place.
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { definedFields } from '../fields';
import { sha256Hex } from '../run/canonical';
import type { CaseResult, RunHeader } from '../run/types';
import type { Grade, GradedSample, Grader } from './types';

export const GRADES_FILE_NAME = 'grades.jsonl';
const SCORE_MIN = 1;
const SCORE_MAX = 5;

/** The prompt a run's grades belong to. */
export function gradePromptOf(header: Pick<RunHeader, 'promptFile' | 'promptFileRelative'>): string {
  return header.promptFileRelative ?? path.basename(header.promptFile);
}

export function outputHash(output: string): string {
  return sha256Hex(output).slice(0, 16);
}

export function gradeKey(prompt: string, caseKey: string, hash: string): string {
  return `${prompt}\u0000${caseKey}\u0000${hash}`;
}

function keyOf(grade: Pick<Grade, 'prompt' | 'caseKey' | 'outputHash'>): string {
  return gradeKey(grade.prompt, grade.caseKey, grade.outputHash);
}

export function isValidScore(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= SCORE_MIN && value <= SCORE_MAX;
}

/** Checks one parsed line; returns the grade with only the known fields, or why it is not one. */
export function gradeFromJson(value: unknown): Grade | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const v = value as Record<string, unknown>;
  for (const key of ['prompt', 'caseKey', 'outputHash', 'at'] as const) {
    if (typeof v[key] !== 'string' || v[key] === '') return `'${key}' must be a non-empty string`;
  }
  if (v.verdict !== undefined && v.verdict !== 'pass' && v.verdict !== 'fail')
    return `'verdict' must be "pass" or "fail"`;
  if (v.score !== undefined && !isValidScore(v.score)) return `'score' must be a whole number from 1 to 5`;
  if (v.verdict === undefined && v.score === undefined) return `a grade needs a 'verdict' or a 'score'`;
  const grade: Grade = {
    prompt: v.prompt as string,
    caseKey: v.caseKey as string,
    outputHash: v.outputHash as string,
    at: v.at as string,
  };
  if (v.verdict !== undefined) grade.verdict = v.verdict;
  if (v.score !== undefined) grade.score = v.score as number;
  if (typeof v.note === 'string' && v.note !== '') grade.note = v.note;
  if (typeof v.by === 'object' && v.by !== null) {
    const by: Grader = {};
    const { name, email } = v.by as Record<string, unknown>;
    if (typeof name === 'string') by.name = name;
    if (typeof email === 'string') by.email = email;
    if (by.name !== undefined || by.email !== undefined) grade.by = by;
  }
  if (typeof v.runId === 'string') grade.runId = v.runId;
  if (typeof v.caseNumber === 'number' && Number.isInteger(v.caseNumber)) grade.caseNumber = v.caseNumber;
  return grade;
}

/**
 * The line for a grade: fixed key order, so rewriting an unchanged grade changes nothing. Only the
 * known fields are written; JSON.stringify leaves out those that are unset.
 */
function gradeLine(grade: Grade): string {
  return JSON.stringify({
    prompt: grade.prompt,
    caseKey: grade.caseKey,
    outputHash: grade.outputHash,
    verdict: grade.verdict,
    score: grade.score,
    note: grade.note,
    by: grade.by,
    at: grade.at,
    runId: grade.runId,
    caseNumber: grade.caseNumber,
  } satisfies Record<keyof Grade, unknown>);
}

export interface LoadedGrades {
  grades: Grade[];
  /** `file:line: problem` for each line that was skipped. */
  warnings: string[];
}

/**
 * Calls `onValue` with each non-blank line of a JSON Lines text, parsed, and its 1-based number;
 * a line that is not JSON gets a `file:line:` warning and is skipped.
 */
export function forEachJsonLine(
  file: string,
  text: string,
  warnings: string[],
  onValue: (value: unknown, line: number) => void,
): void {
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      warnings.push(`${file}:${i + 1}: not valid JSON, line ignored`);
      return;
    }
    onValue(value, i + 1);
  });
}

export function parseGradesText(file: string, text: string): LoadedGrades {
  const byKey = new Map<string, Grade>();
  const warnings: string[] = [];
  forEachJsonLine(file, text, warnings, (parsed, line) => {
    const grade = gradeFromJson(parsed);
    if (typeof grade === 'string') warnings.push(`${file}:${line}: ${grade}, line ignored`);
    // A later line for the same output wins (e.g. after a merge that kept both sides).
    else byKey.set(keyOf(grade), grade);
  });
  return { grades: [...byKey.values()], warnings };
}

/** Grades looked up by output. */
export class GradeIndex {
  private readonly byKey = new Map<string, Grade>();

  constructor(grades: readonly Grade[]) {
    for (const grade of grades) this.byKey.set(keyOf(grade), grade);
  }

  get size(): number {
    return this.byKey.size;
  }

  find(prompt: string, caseKey: string, output: string): Grade | undefined {
    return this.byKey.get(gradeKey(prompt, caseKey, outputHash(output)));
  }

  /** The stored grades that fall on the samples of a run (same prompt, case and output text). */
  forRun(
    header: Pick<RunHeader, 'promptFile' | 'promptFileRelative'>,
    cases: readonly CaseResult[],
    source: string,
  ): GradedSample[] {
    const prompt = gradePromptOf(header);
    const graded: GradedSample[] = [];
    for (const result of cases) {
      for (const sample of result.samples) {
        if (sample.error !== undefined) continue;
        const grade = this.find(prompt, result.caseKey, sample.output);
        if (!grade) continue;
        graded.push(
          definedFields<GradedSample>({
            caseIndex: result.caseIndex,
            sample: sample.sample,
            source,
            verdict: grade.verdict,
            score: grade.score,
            note: grade.note,
            by: grade.by,
            at: grade.at,
          }),
        );
      }
    }
    return graded;
  }
}

export class GradeStore {
  readonly file: string;
  /** Writes of this process, one after another (read, change, rename). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.file = path.resolve(file);
  }

  static defaultFile(workspaceRoot: string): string {
    return path.join(workspaceRoot, '.promptlab', GRADES_FILE_NAME);
  }

  async load(): Promise<LoadedGrades> {
    let text: string;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { grades: [], warnings: [] };
      throw error;
    }
    return parseGradesText(this.file, text);
  }

  /** Adds or replaces the grade of one output. */
  set(grade: Grade): Promise<void> {
    const checked = gradeFromJson(grade);
    if (typeof checked === 'string') return Promise.reject(new Error(`invalid grade: ${checked}`));
    return this.change((grades) => grades.set(keyOf(checked), checked));
  }

  /** Removes the grade of one output (no-op when it has none). */
  remove(prompt: string, caseKey: string, hash: string): Promise<void> {
    return this.change((grades) => grades.delete(gradeKey(prompt, caseKey, hash)));
  }

  private change(apply: (grades: Map<string, Grade>) => void): Promise<void> {
    const run = this.queue.then(async () => {
      const { grades } = await this.load();
      const byKey = new Map(grades.map((g) => [keyOf(g), g]));
      apply(byKey);
      await this.write([...byKey.values()]);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(grades: Grade[]): Promise<void> {
    const sorted = grades.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
    const text = sorted.map((g) => `${gradeLine(g)}\n`).join('');
    await fsp.mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await fsp.writeFile(temporary, text, 'utf8');
      await fsp.rename(temporary, this.file);
    } catch (error) {
      await fsp.rm(temporary, { force: true });
      throw error;
    }
  }
}
