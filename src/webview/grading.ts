// Grading in the run panel's results grid: the grade in each row's Grade cell, a grade bar under
// each reply in the expanded details (pass / fail, 1–5, note), a keyboard path through the outputs
// (shown in a hint) that follows the grid's selected row, and marks on evaluators that agree poorly
// with the person's grades (column heads and verdict lists). The host stores grades and computes agreement; this
// file only shows them and reports what the person did.

import type { EvaluatorTrustView, GradeInput, GradeView, RunViewMessage, VerdictView } from '../protocol/run';
import { el, icon } from './common/dom';
import { GradingKeys, renderGradeBar, type GradeFields } from './gradeControls';

/** An output that can be graded, in panel order. */
export interface GradableOutput {
  caseIndex: number;
  sample: number;
}

export interface GradingHost {
  post(message: RunViewMessage): void;
  /** Outputs with a reply, in the order the panel shows them. */
  outputs(): GradableOutput[];
  /** Selects the output's row in the grid; expands it when `expand` (or when another row is expanded). */
  reveal(output: GradableOutput, expand: boolean): void;
  /** Grades or agreement changed: rows' Grade cells and evaluator column heads need repainting. */
  changed(): void;
}

/** What a grid row's Grade cell shows. */
export interface GradeCellView {
  text: string;
  title: string;
  verdict?: VerdictView;
  score?: number;
}

const keyOf = (o: GradableOutput): string => `${o.caseIndex}.${o.sample}`;

/** The output a grade bar belongs to. */
const outputOfBar = (bar: HTMLElement): GradableOutput => ({
  caseIndex: Number(bar.dataset.case),
  sample: Number(bar.dataset.sample),
});

export class GradingController extends GradingKeys<GradableOutput, GradeView> {
  private readonly trust = new Map<string, EvaluatorTrustView>();
  private readonly bars = new Map<string, HTMLElement>();

  constructor(
    root: HTMLElement,
    private readonly host: GradingHost,
  ) {
    super(root, {
      keyOf,
      outputs: () => host.outputs(),
      describe: (output) => `Case ${output.caseIndex + 1}`,
      // A run panel's grade is one sample's: the grade it shows is all of it.
      shownIn: (grade) => grade,
      withShown: (output, shown) =>
        shown && { ...shown, caseIndex: output.caseIndex, sample: output.sample, at: shown.at ?? '' },
    });
  }

  protected barOf(output: GradableOutput): HTMLElement | undefined {
    const bar = this.bars.get(keyOf(output));
    return bar?.isConnected ? bar : undefined;
  }

  /** New grades and trust from the host: they replace the old ones. */
  setGrades(grades: GradeView[], trust: EvaluatorTrustView[], appliedSeq: number): void {
    this.replaceGrades(
      grades.map((grade) => [grade, grade] as const),
      appliedSeq,
    );
    this.trust.clear();
    for (const t of trust) this.trust.set(t.name, t);
    for (const [key, bar] of this.bars) {
      if (!bar.isConnected) this.bars.delete(key);
      else renderGradeBar(bar, this.gradeOf(outputOfBar(bar)));
    }
    for (const name of this.root.querySelectorAll<HTMLElement>('.evaluator-name[data-evaluator]'))
      this.markEvaluator(name);
    this.host.changed();
  }

  /** The Grade cell of a row: the grade of its only output, or how many of its outputs are graded. */
  gradeCell(caseIndex: number, samples: number[]): GradeCellView | undefined {
    const graded = samples
      .map((sample) => this.gradeKept({ caseIndex, sample }))
      .filter((g): g is GradeView => g !== undefined);
    const first = graded[0];
    if (!first) return undefined;
    const describe = (g: GradeView): string =>
      [g.verdict ?? '', g.score !== undefined ? `${g.score}/5` : ''].filter(Boolean).join(' · ') || 'note';
    const view: GradeCellView =
      samples.length > 1
        ? {
            text: `${graded.length}/${samples.length} graded`,
            title: graded.map((g) => `sample ${g.sample + 1}: ${describe(g)}`).join('\n'),
          }
        : { text: describe(first), title: `Your grade: ${describe(first)}${first.note ? ` — ${first.note}` : ''}` };
    if (first.verdict) view.verdict = first.verdict;
    if (first.score !== undefined) view.score = first.score;
    return view;
  }

  /** Poor agreement of an evaluator with the person's grades, said in words (undefined: not poor). */
  poorAgreement(name: string): string | undefined {
    const t = this.trust.get(name);
    return t?.poor ? `Poor agreement with your grades: ${t.summary}` : undefined;
  }

  /** Adds grade bars and evaluator marks to a freshly built details element, and marks the selection. */
  decorate(detail: HTMLElement): void {
    for (const sample of detail.querySelectorAll<HTMLElement>('.sample[data-case][data-sample]')) {
      if (sample.dataset.error !== undefined) continue;
      const bar = this.gradeBar({ caseIndex: Number(sample.dataset.case), sample: Number(sample.dataset.sample) });
      const reply = sample.querySelector('.reply');
      if (reply) reply.after(bar);
      else sample.append(bar);
    }
    for (const name of detail.querySelectorAll<HTMLElement>('.evaluator-name[data-evaluator]'))
      this.markEvaluator(name);
    this.markSelected(false);
  }

  /** The grade bar for one output (rebuilt outputs ask again; the latest bar is the one updated). */
  gradeBar(output: GradableOutput): HTMLElement {
    const bar = el('div', {
      className: 'grade-bar',
      attrs: {
        role: 'group',
        'aria-label': `Your grade of case ${output.caseIndex + 1}${output.sample > 0 ? ` sample ${output.sample + 1}` : ''}`,
        'data-case': String(output.caseIndex),
        'data-sample': String(output.sample),
      },
    });
    this.bars.set(keyOf(output), bar);
    renderGradeBar(bar, this.gradeOf(output));
    return bar;
  }

  /** The name of an evaluator in a verdict list, marked when it agrees poorly with the person. */
  evaluatorName(name: string): HTMLElement {
    const span = el('span', { className: 'evaluator-name', text: name, attrs: { 'data-evaluator': name } });
    this.markEvaluator(span);
    return span;
  }

  /** Selects an output and shows its row (keyboard, click, or the Agreement view, which expands it). */
  select(output: GradableOutput, expand = false): void {
    this.selected = output;
    this.host.reveal(output, expand);
    this.markSelected(true);
  }

  /** The grid moved its selection to a row: grade keys apply to that row's first output now. */
  follow(caseIndex: number): void {
    if (this.selected?.caseIndex === caseIndex) return;
    const output = this.host.outputs().find((o) => o.caseIndex === caseIndex);
    this.selected = output;
    this.markSelected(false);
  }

  /** Marks the selected output in the expanded details, when it is there. */
  private markSelected(scroll: boolean): void {
    for (const old of this.root.querySelectorAll('.sample.grading-selected')) {
      old.classList.remove('grading-selected');
      old.removeAttribute('aria-current');
    }
    const output = this.selected;
    if (!output) return;
    const element = this.root.querySelector<HTMLElement>(
      `.sample[data-case="${output.caseIndex}"][data-sample="${output.sample}"]`,
    );
    if (!element) return;
    element.classList.add('grading-selected');
    element.setAttribute('aria-current', 'true');
    if (scroll) element.scrollIntoView({ block: 'nearest' });
  }

  private markEvaluator(span: HTMLElement): void {
    const name = span.dataset.evaluator ?? '';
    const t = this.trust.get(name);
    span.querySelector('.trust-mark')?.remove();
    span.classList.toggle('poor-agreement', t?.poor === true);
    if (!t?.poor) return;
    const label = `Poor agreement with your grades: ${t.summary}`;
    span.append(
      el('span', { className: 'trust-mark', title: label, attrs: { role: 'img', 'aria-label': label } }, [
        icon('warning'),
      ]),
    );
  }

  protected graded(output: GradableOutput, fields: GradeFields, seq: number): void {
    const bar = this.barOf(output);
    if (bar) renderGradeBar(bar, this.gradeOf(output));
    this.host.changed();
    const input: GradeInput = { caseIndex: output.caseIndex, sample: output.sample, ...fields, seq };
    this.host.post({ type: 'grade', ...input });
  }

  protected onClick(event: MouseEvent): void {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest<HTMLButtonElement>('button[data-grade-action]');
    const bar = button?.closest<HTMLElement>('.grade-bar');
    if (button && bar) {
      this.press(outputOfBar(bar), button);
      return;
    }
    const sample = target?.closest<HTMLElement>('.sample[data-case]');
    if (sample && sample.dataset.error === undefined && !target?.closest('button, a, input'))
      this.select({ caseIndex: Number(sample.dataset.case), sample: Number(sample.dataset.sample) });
  }
}
