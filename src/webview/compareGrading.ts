// Grading in the compare view: the person grades the output a compared case shows (either side of a
// pair, any column of a matrix) with the run panel's keys and grade bar (gradeControls.ts). The host
// stores the grade in the same grades store, so it follows the output into the run panel and later
// comparisons. This file keeps the grades shown, the selected output and what the person did.

import type { CompareViewMessage, ComparedCaseGradeView, SideGradeView } from '../protocol/compare';
import { el } from './common/dom';
import {
  PendingGrades,
  applyGradeCommand,
  editNoteIn,
  fieldsOf,
  gradeCommandOf,
  gradeCommandOfAction,
  gradingHint,
  gradingStatus,
  renderGradeBar,
  shownOf,
  type GradeCommand,
  type GradeFields,
} from './gradeControls';

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

export class CompareGrading {
  private readonly grades = new Map<string, ComparedCaseGradeView>();
  private readonly pending = new PendingGrades<SideGradeView>();
  private readonly status = gradingStatus();
  private selected: ComparedOutput | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly options: CompareGradingOptions,
  ) {
    root.ownerDocument.addEventListener('keydown', (event) => this.onKey(event));
    root.addEventListener('click', (event) => this.onClick(event));
  }

  hint(): HTMLElement {
    return gradingHint(this.status);
  }

  /** The grades on one case of one compared run. */
  gradesOf(output: ComparedOutput): ComparedCaseGradeView | undefined {
    return this.grades.get(keyOf(output));
  }

  /** Whether any sample of the case is graded. */
  isGraded(output: ComparedOutput): boolean {
    return (this.grades.get(keyOf(output))?.gradedSamples ?? 0) > 0;
  }

  get size(): number {
    return this.grades.size;
  }

  /** The host's grades replace the old ones (edits it has not saved yet stay as given). */
  setGrades(columns: ComparedCaseGradeView[][], appliedSeq: number): void {
    this.grades.clear();
    columns.forEach((cases, column) => {
      for (const c of cases) if (c.gradedSamples > 0) this.grades.set(keyOf({ column, caseIndex: c.caseIndex }), c);
    });
    this.pending.unsaved(appliedSeq, (key, shown) => this.setShown(key, shown));
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
    const grades = this.grades.get(keyOf(output));
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

  private setShown(key: string, shown: SideGradeView | undefined): void {
    const old = this.grades.get(key);
    const [column, caseIndex] = key.split('.').map(Number) as [number, number];
    const others = (old?.gradedSamples ?? 0) - (old?.shown ? 1 : 0);
    const next: ComparedCaseGradeView = { caseIndex, gradedSamples: others + (shown ? 1 : 0) };
    if (shown) next.shown = shown;
    if (next.gradedSamples > 0) this.grades.set(keyOf({ column, caseIndex }), next);
    else this.grades.delete(key);
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

  private say(text: string): void {
    this.status.textContent = text;
  }

  /** Shows a change at once (the host's answer replaces it) and tells the host. */
  private send(output: ComparedOutput, fields: GradeFields): void {
    const key = keyOf(output);
    const shown = shownOf(fields);
    this.setShown(key, shown);
    const seq = this.pending.record(key, shown);
    const element = this.elementOf(output);
    if (element) this.paint(element);
    this.options.changed();
    this.options.post({ type: 'grade', column: output.column, caseIndex: output.caseIndex, sample: 0, ...fields, seq });
  }

  private apply(output: ComparedOutput, command: Exclude<GradeCommand, { kind: 'move' }>): void {
    if (command.kind === 'note') return this.editNote(output);
    const { fields, said } = applyGradeCommand(fieldsOf(this.grades.get(keyOf(output))?.shown), command);
    this.send(output, fields);
    this.say(`${this.options.describe(output)}: ${said}`);
  }

  private editNote(output: ComparedOutput): void {
    const current = fieldsOf(this.grades.get(keyOf(output))?.shown);
    if (current.verdict === null && current.score === null) {
      this.say('Grade pass / fail or give a score before adding a note');
      return;
    }
    const bar = this.elementOf(output)?.querySelector<HTMLElement>('.grade-bar');
    if (!bar) return;
    editNoteIn(bar, current.note, `Note for ${this.options.describe(output)}`, (note) => {
      if (note !== undefined) this.send(output, { ...current, note });
      else renderGradeBar(bar, this.grades.get(keyOf(output))?.shown);
      this.select(output);
    });
  }

  private move(step: 1 | -1): void {
    const outputs = [...this.root.querySelectorAll<HTMLElement>(GRADABLE)].map(outputOf);
    if (outputs.length === 0) return;
    const at = this.selected ? outputs.findIndex((o) => keyOf(o) === keyOf(this.selected as ComparedOutput)) : -1;
    const next = at < 0 ? (step === 1 ? 0 : outputs.length - 1) : Math.min(outputs.length - 1, Math.max(0, at + step));
    const output = outputs[next];
    if (output) this.select(output);
  }

  private onClick(event: MouseEvent): void {
    const target = event.target instanceof Element ? event.target : null;
    const element = target?.closest<HTMLElement>(GRADABLE);
    if (!element) return;
    const output = outputOf(element);
    const button = target?.closest<HTMLButtonElement>('button[data-grade-action]');
    if (button) {
      this.select(output);
      const command = gradeCommandOfAction(button.dataset.gradeAction ?? '');
      if (command && command.kind !== 'move') this.apply(output, command);
    } else if (!target?.closest('button, a, input, select')) this.select(output);
  }

  private onKey(event: KeyboardEvent): void {
    const command = gradeCommandOf(event);
    if (!command) return;
    // Arrows move between outputs only once one is selected; before that they scroll the view.
    if (command.kind === 'move') {
      if (command.arrow && !this.selected) return;
      this.move(command.step);
    } else if (!this.selected) return;
    else this.apply(this.selected, command);
    event.preventDefault();
  }
}
