// The editor's grades: one GradeStore per workspace folder (`.promptlab/grades.jsonl`), who is
// grading (git user), and what the run panel and the Agreement view show: the grades that fall on
// the results shown and each evaluator's agreement with them (computed by core). Grades never
// leave the workspace.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgreementReport, Grade, GradedSample, GradeStore, Grader } from '../../core/grades';
import type { CaseResult, RunHeader } from '../../core/run/types';
import type { EvaluatorTrustView, GradeInput, GradeView } from '../../protocol/grades';
import type { Logger } from '../log';
import { loadEngine as loadCore } from '../engine';

export interface ResultsGrades {
  graded: GradedSample[];
  report: AgreementReport;
}

export class GradesService implements vscode.Disposable {
  private readonly stores = new Map<string, GradeStore>();
  private readonly users = new Map<string, Promise<Grader>>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when grades were saved here or the grades file changed on disk (git pull, another window). */
  readonly onDidChange = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher;

  constructor(
    private readonly workspaceRootFor: (uri: vscode.Uri) => string,
    private readonly log: Logger,
  ) {
    this.watcher = vscode.workspace.createFileSystemWatcher('**/.promptlab/grades.jsonl');
    const fire = (): void => this.changed.fire();
    this.watcher.onDidChange(fire);
    this.watcher.onDidCreate(fire);
    this.watcher.onDidDelete(fire);
  }

  private async storeFor(promptUri: vscode.Uri): Promise<GradeStore> {
    const core = await loadCore();
    const file = core.GradeStore.defaultFile(this.workspaceRootFor(promptUri));
    let store = this.stores.get(file);
    if (!store) {
      store = new core.GradeStore(file);
      this.stores.set(file, store);
    }
    return store;
  }

  private userFor(promptUri: vscode.Uri): Promise<Grader> {
    const dir = path.dirname(promptUri.fsPath);
    let user = this.users.get(dir);
    if (!user) {
      user = loadCore().then((core) => core.gitUser(dir));
      this.users.set(dir, user);
    }
    return user;
  }

  /** The stored grades on these results and the agreement of each evaluator with them. */
  async forResults(promptUri: vscode.Uri, header: RunHeader, results: readonly CaseResult[]): Promise<ResultsGrades> {
    const core = await loadCore();
    const store = await this.storeFor(promptUri);
    const { grades, warnings } = await store.load();
    for (const warning of warnings) this.log.warn(`Grades: ${warning}`);
    const graded = new core.GradeIndex(grades).forRun(header, results, store.file);
    return { graded, report: core.computeAgreement(results, graded) };
  }

  /** The stored grades on a run's outputs (for compare), found through its prompt file's workspace. */
  async gradedOf(run: { header: RunHeader; cases: readonly CaseResult[] }): Promise<GradedSample[]> {
    const core = await loadCore();
    const store = await this.storeFor(vscode.Uri.file(run.header.promptFile));
    const { grades } = await store.load();
    return new core.GradeIndex(grades).forRun(run.header, run.cases, store.file);
  }

  /** Saves (or, when the input is empty, removes) the grade of one output. */
  async save(promptUri: vscode.Uri, header: RunHeader, result: CaseResult, input: GradeInput): Promise<void> {
    const core = await loadCore();
    const sample = result.samples.find((s) => s.sample === input.sample);
    if (!sample || sample.error !== undefined) throw new Error(`case ${input.caseIndex + 1} has no reply to grade`);
    const store = await this.storeFor(promptUri);
    const prompt = core.gradePromptOf(header);
    const hash = core.outputHash(sample.output);
    const note = input.note.trim();
    if (input.verdict === null && input.score === null && note === '') {
      await store.remove(prompt, result.caseKey, hash);
    } else {
      const grade: Grade = {
        prompt,
        caseKey: result.caseKey,
        outputHash: hash,
        at: new Date().toISOString(),
        runId: header.runId,
        caseNumber: result.caseIndex + 1,
      };
      if (input.verdict !== null) grade.verdict = input.verdict;
      if (input.score !== null) grade.score = input.score;
      if (note !== '') grade.note = note;
      const by = await this.userFor(promptUri);
      if (by.name !== undefined || by.email !== undefined) grade.by = by;
      // A note alone is not a grade: keep what the sample had, or refuse.
      if (grade.verdict === undefined && grade.score === undefined)
        throw new Error('give a pass/fail verdict or a 1–5 score before a note');
      await store.set(grade);
    }
    this.changed.fire();
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}

/** A grade's verdict, score, note and grader as the webviews show them (unset ones left out). */
export function gradeFields(g: GradedSample): Pick<GradeView, 'verdict' | 'score' | 'note' | 'by'> {
  const view: Pick<GradeView, 'verdict' | 'score' | 'note' | 'by'> = {};
  if (g.verdict !== undefined) view.verdict = g.verdict;
  if (g.score !== undefined) view.score = g.score;
  if (g.note !== undefined) view.note = g.note;
  const by = g.by?.name ?? g.by?.email;
  if (by !== undefined) view.by = by;
  return view;
}

/** What the run panel's webview receives. */
export function gradesMessage(results: ResultsGrades): { grades: GradeView[]; trust: EvaluatorTrustView[] } {
  return {
    grades: results.graded.map((g) => ({
      caseIndex: g.caseIndex,
      sample: g.sample,
      at: g.at ?? '',
      ...gradeFields(g),
    })),
    trust: results.report.evaluators.map((e) => ({
      name: e.name,
      n: e.n,
      kappa: e.kappa,
      agreement: e.agreement,
      poor: e.poor,
      summary: e.summary,
    })),
  };
}
