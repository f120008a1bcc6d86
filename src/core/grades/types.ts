// Human grades: what a person said about one output. Stored in `.promptlab/grades.jsonl`
// (docs/grading.md); never sent anywhere.

export type Verdict = 'pass' | 'fail';

/** Who graded: from `git config user.name` / `user.email` when git knows them. */
export interface Grader {
  name?: string;
  email?: string;
}

/**
 * One grade. It belongs to an output, not to a run: (prompt, caseKey, outputHash) is its key,
 * so the same case with the same reply text in a later run shows the grade again.
 */
export interface Grade {
  /** The prompt file: the run header's `promptFileRelative`, else the file's base name. */
  prompt: string;
  /** The case's stable key (hash of its variables), as in the run file. */
  caseKey: string;
  /** First 16 hex digits of the SHA-256 of the output text as the run file stores it. */
  outputHash: string;
  /** At least one of verdict and score is set. */
  verdict?: Verdict;
  /** Optional 1–5 score. */
  score?: number;
  note?: string;
  by?: Grader;
  /** ISO time of grading. */
  at: string;
  /** The run the grade was given in, and the 1-based case number there (for people reading the file). */
  runId?: string;
  caseNumber?: number;
}

/** A grade placed on one sample of a loaded run. */
export interface GradedSample {
  caseIndex: number;
  sample: number;
  verdict?: Verdict;
  score?: number;
  note?: string;
  /** Where the grade came from: `file:line`, or the grades store's file. */
  source: string;
  /** From the grades store: who graded and when. */
  by?: Grader;
  at?: string;
}
