// Grading in the compare view: the person grades the output a compared case shows (either side of a
// pair, any column of a matrix) with the run panel's keys and grade bar (gradeControls.ts). The host
// stores the grade in the same grades store, so it follows the output into the run panel and later
// comparisons. This file places the chips and grade bars and says how a case's grades change when
// the person grades its shown output; gradeControls.ts keeps the grades, the selection and the keys.

import type { CompareViewMessage, ComparedCaseGradeView } from '../protocol/compare';
import { el } from './common/dom';
import { GradingKeys, renderGradeBar, type GradeFields, type ShownGrade } from './gradeControls';

/** One output of a comparison: a case of one compared run (column 0 = A, 1 = B, or the matrix column). */
export interface ComparedOutput {
  column: number;
  caseIndex: number;
}

export interface CompareGradingOptions {
  post(message: CompareViewMessage): void;
  /** How the status line names an output ("case 3 · B"). */
  describe(output: ComparedOutput): string;
  /** The grades changed (the host answered, or the person graded): counts and filters may change. */
  changed(): void;
}

const keyOf = (o: ComparedOutput): string => `${o.column}.${o.caseIndex}`;

/** The element of a gradable output (`gradable` marks it; the bar and chip live inside it). */
const GRADABLE = '.gradable[data-grade-column][data-grade-case]';

function outputOf(element: HTMLElement): ComparedOutput {
  return { column: Number(element.dataset.gradeColumn), caseIndex: Number(element.dataset.gradeCase) };
}

/** "you: pass · 4/5" for a graded output; with repeats, how many other samples are graded too. */
export function gradeChip(grades: ComparedCaseGradeView | undefined): HTMLElement | undefined {
  if (!grades || grades.gradedSamples === 0) return undefined;
  const shown = grades.shown;
  const others = grades.gradedSamples - (shown ? 1 : 0);
  const parts = shown
    ? [shown.verdict ? `you: ${shown.verdict}` : 'you', shown.score !== undefined ? `${shown.score}/5` : '']
    : [`you: ${others} other sample${others === 1 ? '' : 's'}`];
  if (shown && others > 0) parts.push(`+${others} sample${others === 1 ? '' : 's'}`);
  const text = parts.filter(Boolean).join(' · ');
  const said = shown
    ? `Your grade: ${[shown.verdict ?? '', shown.score !== undefined ? `${shown.score}/5` : ''].filter(Boolean).join(' ')}${shown.note ? ` — ${shown.note}` : ''}`
    : 'You graded other samples of this case (this view shows and grades the first)';
  const label = others > 0 && shown ? `${said} (and ${others} other sample${others === 1 ? '' : 's'})` : said;
  return el('span', {
    className: `grade-chip ${shown?.verdict ?? 'scored'}`,
    text,
    title: label,
    attrs: { 'aria-label': label },
  });
}

/** A case's grades after the person graded its shown output, keeping the count of its other graded samples. */
function withShownGrade(
  output: ComparedOutput,
  shown: ShownGrade | undefined,
  old: ComparedCaseGradeView | undefined,
): ComparedCaseGradeView | undefined {
  const others = (old?.gradedSamples ?? 0) - (old?.shown ? 1 : 0);
  const grades: ComparedCaseGradeView = { caseIndex: output.caseIndex, gradedSamples: others + (shown ? 1 : 0) };
  if (shown) grades.shown = shown;
  return grades.gradedSamples > 0 ? grades : undefined;
}

export class CompareGrading extends GradingKeys<ComparedOutput, ComparedCaseGradeView> {
  constructor(
    root: HTMLElement,
    private readonly options: CompareGradingOptions,
  ) {
    super(root, {
      keyOf,
      // The gradable outputs on screen, in the order shown (more rows render as the list scrolls).
      outputs: () => [...root.querySelectorAll<HTMLElement>(GRADABLE)].map(outputOf),
      describe: (output) => options.describe(output),
      shownIn: (grades) => grades.shown,
      withShown: withShownGrade,
    });
  }

  protected barOf(output: ComparedOutput): HTMLElement | undefined {
    return this.elementOf(output)?.querySelector<HTMLElement>('.grade-bar') ?? undefined;
  }

  /** Whether any sample of the case is graded. */
  isGraded(output: ComparedOutput): boolean {
    return (this.gradeKept(output)?.gradedSamples ?? 0) > 0;
  }

  /** The host's grades replace the old ones (edits it has not saved yet stay as given). */
  setGrades(columns: ComparedCaseGradeView[][], appliedSeq: number): void {
    const graded = columns.flatMap((cases, column) =>
      cases.filter((c) => c.gradedSamples > 0).map((c) => [{ column, caseIndex: c.caseIndex }, c] as const),
    );
    this.replaceGrades(graded, appliedSeq);
    this.repaint();
  }

  /**
   * Makes `element` the gradable output `output`: the chip goes into its `.grade-chip-slot`, and a grade
   * bar after its `.output` (always when `bar` is 'always'; in a matrix cell only while it is selected).
   */
  gradable(element: HTMLElement, output: ComparedOutput, bar: 'always' | 'when-selected'): void {
    element.classList.add('gradable');
    element.dataset.gradeColumn = String(output.column);
    element.dataset.gradeCase = String(output.caseIndex);
    element.dataset.gradeBar = bar;
    this.paint(element);
  }

  /** Repaints every gradable output shown (chips, bars, the selection). */
  repaint(): void {
    for (const element of this.root.querySelectorAll<HTMLElement>(GRADABLE)) this.paint(element);
    this.options.changed();
  }

  private paint(element: HTMLElement): void {
    const output = outputOf(element);
    const grades = this.gradeKept(output);
    element.querySelector('.grade-chip-slot')?.replaceChildren(...[gradeChip(grades)].filter((c) => c !== undefined));
    const selected = this.selected !== undefined && keyOf(this.selected) === keyOf(output);
    element.classList.toggle('grading-selected', selected);
    if (selected) element.setAttribute('aria-current', 'true');
    else element.removeAttribute('aria-current');
    let bar = element.querySelector<HTMLElement>(':scope .grade-bar');
    const wanted = element.dataset.gradeBar === 'always' || selected;
    if (!wanted) {
      bar?.remove();
      return;
    }
    if (!bar) {
      bar = el('div', {
        className: 'grade-bar',
        attrs: { role: 'group', 'aria-label': `Your grade of ${this.options.describe(output)}` },
      });
      const after = element.querySelector('.output, .cell-output');
      if (after) after.after(bar);
      else element.append(bar);
    }
    renderGradeBar(bar, grades?.shown);
  }

  private elementOf(output: ComparedOutput): HTMLElement | null {
    return this.root.querySelector<HTMLElement>(
      `.gradable[data-grade-column="${output.column}"][data-grade-case="${output.caseIndex}"]`,
    );
  }

  select(output: ComparedOutput): void {
    const previous = this.selected && this.elementOf(this.selected);
    this.selected = output;
    if (previous) this.paint(previous);
    const element = this.elementOf(output);
    if (!element) return;
    this.paint(element);
    element.scrollIntoView({ block: 'nearest' });
  }

  protected graded(output: ComparedOutput, fields: GradeFields, seq: number): void {
    const element = this.elementOf(output);
    if (element) this.paint(element);
    this.options.changed();
    this.options.post({ type: 'grade', column: output.column, caseIndex: output.caseIndex, ...fields, seq });
  }

  protected onClick(event: MouseEvent): void {
    const target = event.target instanceof Element ? event.target : null;
    const element = target?.closest<HTMLElement>(GRADABLE);
    if (!element) return;
    const output = outputOf(element);
    const button = target?.closest<HTMLButtonElement>('button[data-grade-action]');
    if (button) {
      this.press(output, button);
    } else if (!target?.closest('button, a, input, select')) this.select(output);
  }
}
