// What grading looks like and which keys do it, shared by the run panel (grading.ts) and the compare
// view (compareGrading.ts), so a person grades the same way in both: the same keys, the same hint,
// the same grade bar, the same note field, and edits shown at once until the host has saved them.

import type { GradeInput, OutputGradeView, VerdictView } from '../protocol/grades';
import { MAX_NOTE_LENGTH } from '../protocol/grades';
import { el, icon } from './common/dom';

export const GRADING_HINT =
  'Grade with the keyboard: j / k next / previous output · p pass · f fail · 1–5 score · e note · x clear';

/** A grade as a bar or chip shows it. */
export type ShownGrade = OutputGradeView;

/** The part of a grade a person edits (what the webview sends); all empty removes the grade. */
export type GradeFields = Pick<GradeInput, 'verdict' | 'score' | 'note'>;

/** What a key press or a grade-bar button asks for. */
export type GradeCommand =
  | { kind: 'move'; step: 1 | -1; arrow: boolean }
  | { kind: 'verdict'; verdict: VerdictView }
  | { kind: 'score'; score: number }
  | { kind: 'note' }
  | { kind: 'clear' };

/** A field that takes text keeps its keys. */
export function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable ||
      target instanceof HTMLInputElement ||
      target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement)
  );
}

/** The grading meaning of a key press; undefined for other keys, with modifiers, or while typing. */
export function gradeCommandOf(event: KeyboardEvent): GradeCommand | undefined {
  // Keys another handler used first (the grid's arrows, n for the next failure, Enter) are not grading keys.
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target))
    return undefined;
  const key = event.key;
  if (key === 'j' || key === 'ArrowDown') return { kind: 'move', step: 1, arrow: key !== 'j' };
  if (key === 'k' || key === 'ArrowUp') return { kind: 'move', step: -1, arrow: key !== 'k' };
  if (key === 'p') return { kind: 'verdict', verdict: 'pass' };
  if (key === 'f') return { kind: 'verdict', verdict: 'fail' };
  if (/^[1-5]$/.test(key)) return { kind: 'score', score: Number(key) };
  if (key === 'e') return { kind: 'note' };
  if (key === 'x' || key === 'Delete' || key === 'Backspace') return { kind: 'clear' };
  return undefined;
}

/** The command of a grade-bar button (`data-grade-action`). */
export function gradeCommandOfAction(action: string): GradeCommand | undefined {
  if (action === 'pass' || action === 'fail') return { kind: 'verdict', verdict: action };
  if (action === 'note') return { kind: 'note' };
  const score = /^score-([1-5])$/.exec(action)?.[1];
  return score ? { kind: 'score', score: Number(score) } : undefined;
}

export function fieldsOf(grade: ShownGrade | undefined): GradeFields {
  return { verdict: grade?.verdict ?? null, score: grade?.score ?? null, note: grade?.note ?? '' };
}

/**
 * The grade after a verdict, score or clear command, and what to say about it. A verdict or score
 * given again is taken back (p on a pass clears the verdict), as the buttons' pressed state suggests.
 */
export function applyGradeCommand(
  current: GradeFields,
  command: Extract<GradeCommand, { kind: 'verdict' | 'score' | 'clear' }>,
): { fields: GradeFields; said: string } {
  if (command.kind === 'clear') return { fields: { verdict: null, score: null, note: '' }, said: 'grade removed' };
  if (command.kind === 'verdict') {
    const verdict = current.verdict === command.verdict ? null : command.verdict;
    return { fields: { ...current, verdict }, said: verdict ?? 'verdict cleared' };
  }
  const score = current.score === command.score ? null : command.score;
  return { fields: { ...current, score }, said: score === null ? 'score cleared' : `score ${score}` };
}

/** The grade shown for edited fields until the host answers (undefined: no grade). */
export function shownOf(fields: GradeFields): ShownGrade | undefined {
  const note = fields.note.trim();
  if (fields.verdict === null && fields.score === null && note === '') return undefined;
  const shown: ShownGrade = { at: new Date().toISOString() };
  if (fields.verdict !== null) shown.verdict = fields.verdict;
  if (fields.score !== null) shown.score = fields.score;
  if (note !== '') shown.note = note;
  return shown;
}

/** The keyboard hint with a live status line (what the last key did). */
export function gradingHint(status: HTMLElement): HTMLElement {
  return el('div', { className: 'grading-hint' }, [
    icon('keyboard'),
    el('span', { className: 'grading-keys', text: GRADING_HINT }),
    status,
  ]);
}

export function gradingStatus(): HTMLElement {
  return el('span', { className: 'grading-status', attrs: { role: 'status', 'aria-live': 'polite' } });
}

/** Fills a grade bar: pass / fail, 1–5, Note…, and the note, who and when of a grade. */
export function renderGradeBar(bar: HTMLElement, grade: ShownGrade | undefined): void {
  const button = (text: string, action: string, pressed: boolean, label: string): HTMLButtonElement =>
    el('button', {
      className: `grade-button${pressed ? ' pressed' : ''}`,
      text,
      title: label,
      attrs: { type: 'button', 'data-grade-action': action, 'aria-pressed': String(pressed), 'aria-label': label },
    });
  const children: HTMLElement[] = [
    el('span', { className: 'grade-label', text: 'Your grade' }),
    button('✓ Pass', 'pass', grade?.verdict === 'pass', 'Grade pass (p)'),
    button('✗ Fail', 'fail', grade?.verdict === 'fail', 'Grade fail (f)'),
  ];
  const scores = el('span', { className: 'grade-scores', attrs: { role: 'group', 'aria-label': 'Score 1 to 5' } });
  for (let s = 1; s <= 5; s++)
    scores.append(button(String(s), `score-${s}`, grade?.score === s, `Score ${s} of 5 (${s})`));
  children.push(scores, button('Note…', 'note', false, 'Add or change a note (e)'));
  if (grade) {
    if (grade.note) children.push(el('span', { className: 'grade-note', text: grade.note, title: grade.note }));
    const when = grade.at ? new Date(grade.at).toLocaleString() : '';
    const who = [grade.by ? `by ${grade.by}` : '', when ? `on ${when}` : ''].filter(Boolean).join(' ');
    if (who) children.push(el('span', { className: 'grade-by', text: who }));
  }
  bar.classList.toggle('graded', grade !== undefined);
  bar.replaceChildren(...children);
}

/** Opens a note field at the end of a grade bar: Enter gives its text to `done`, Escape undefined. */
export function editNoteIn(
  bar: HTMLElement,
  note: string,
  label: string,
  done: (note: string | undefined) => void,
): void {
  const input = el('input', {
    className: 'grade-note-input',
    attrs: {
      type: 'text',
      'aria-label': label,
      maxlength: String(MAX_NOTE_LENGTH),
      placeholder: 'Note (Enter saves, Escape cancels)',
    },
  });
  input.value = note;
  input.addEventListener('keydown', (event) => {
    event.stopPropagation();
    if (event.key === 'Enter') done(input.value);
    else if (event.key === 'Escape') done(undefined);
  });
  bar.append(input);
  input.focus();
}

/**
 * Edits sent to the host but maybe not yet in its answer. An answer read before the host saved a
 * newer edit must not undo that edit on screen; `appliedSeq` in the answer says which are saved.
 */
class PendingGrades<E> {
  private seq = 0;
  private readonly pending = new Map<string, { seq: number; edit: E }>();

  /** Records an edit of the output `key`; returns the edit's seq for the message to the host. */
  record(key: string, edit: E): number {
    this.pending.set(key, { seq: ++this.seq, edit });
    return this.seq;
  }

  /** Calls `apply` with each edit the host has not saved yet, and forgets the saved ones. */
  unsaved(appliedSeq: number, apply: (edit: E) => void): void {
    for (const [key, { seq, edit }] of this.pending) {
      if (seq <= appliedSeq) this.pending.delete(key);
      else apply(edit);
    }
  }
}

/**
 * What a grading surface says about its outputs (O) and the grades the host sends it (G): all the
 * shared part (GradingKeys) needs to keep the grades, move through the outputs and name them.
 */
export interface GradingSurface<O, G> {
  /** One key per output: the grades are kept by it. */
  keyOf(output: O): string;
  /** The outputs that can be graded, in the order shown. */
  outputs(): O[];
  /** How the status line names an output ("Case 3", "case 3 · B"). */
  describe(output: O): string;
  /** The grade a host's grade shows on its output. */
  shownIn(grade: G): ShownGrade | undefined;
  /** The grade kept after the person graded `output` (`shown` undefined: removed); `old` was kept before. */
  withShown(output: O, shown: ShownGrade | undefined, old: G | undefined): G | undefined;
}

/**
 * What both grading surfaces share: the grades shown (the host's, with the person's edits on top until
 * the host has saved them), the selected output, moving through the outputs with j / k (and the arrows
 * once one is selected), and what p / f / 1–5 / e / x do to the selected one. The surface says what an
 * output and a grade are; a subclass says where an output's bar is and how a grade reaches the host.
 */
export abstract class GradingKeys<O, G> {
  protected selected: O | undefined;
  private readonly status = gradingStatus();
  private readonly grades = new Map<string, G>();
  /** Grades sent but maybe not yet in the host's answer: shown as given until the host has saved them. */
  private readonly pending = new PendingGrades<{ output: O; shown: ShownGrade | undefined }>();

  /** Listens for the grading keys in `root`'s document and for clicks on `root`. */
  constructor(
    protected readonly root: HTMLElement,
    private readonly surface: GradingSurface<O, G>,
  ) {
    root.ownerDocument.addEventListener('keydown', (event) => this.onKey(event));
    root.addEventListener('click', (event) => this.onClick(event));
  }

  /** The keyboard hint, with what the last key did. */
  hint(): HTMLElement {
    return gradingHint(this.status);
  }

  /** Selects an output (and shows it). */
  abstract select(output: O): void;
  /** The output's grade bar while it is on screen. */
  protected abstract barOf(output: O): HTMLElement | undefined;
  /** The person graded `output` (its grade here is new): repaint it and send the grade with its `seq`. */
  protected abstract graded(output: O, fields: GradeFields, seq: number): void;

  /** A click in the root: selects the output it is on, and does what a grade-bar button says. */
  protected abstract onClick(event: MouseEvent): void;

  /** The host's grade of `output` as kept here (with the person's unsaved edit, when there is one). */
  protected gradeKept(output: O): G | undefined {
    return this.grades.get(this.surface.keyOf(output));
  }

  protected gradeOf(output: O): ShownGrade | undefined {
    const grade = this.gradeKept(output);
    return grade === undefined ? undefined : this.surface.shownIn(grade);
  }

  /** The host's grades replace the old ones (edits it has not saved yet, after `appliedSeq`, stay as given). */
  protected replaceGrades(grades: Iterable<readonly [O, G]>, appliedSeq: number): void {
    this.grades.clear();
    for (const [output, grade] of grades) this.grades.set(this.surface.keyOf(output), grade);
    this.pending.unsaved(appliedSeq, ({ output, shown }) => this.keep(output, shown));
  }

  private keep(output: O, shown: ShownGrade | undefined): void {
    const key = this.surface.keyOf(output);
    const grade = this.surface.withShown(output, shown, this.grades.get(key));
    if (grade === undefined) this.grades.delete(key);
    else this.grades.set(key, grade);
  }

  /** Shows the new grade at once (the host's answer replaces it) and sends it to the host. */
  private send(output: O, fields: GradeFields): void {
    const shown = shownOf(fields);
    this.keep(output, shown);
    this.graded(output, fields, this.pending.record(this.surface.keyOf(output), { output, shown }));
  }

  /** A grade-bar button of `output` pressed: selects the output and applies the button's command. */
  protected press(output: O, button: HTMLButtonElement): void {
    this.select(output);
    const command = gradeCommandOfAction(button.dataset.gradeAction ?? '');
    if (command) this.apply(output, command);
  }

  protected say(text: string): void {
    this.status.textContent = text;
  }

  /** A grade-bar button or a key on an output. */
  protected apply(output: O, command: GradeCommand): void {
    if (command.kind === 'move') return;
    if (command.kind === 'note') return this.editNote(output);
    const { fields, said } = applyGradeCommand(fieldsOf(this.gradeOf(output)), command);
    this.send(output, fields);
    this.say(`${this.surface.describe(output)}: ${said}`);
  }

  private editNote(output: O): void {
    const current = fieldsOf(this.gradeOf(output));
    if (current.verdict === null && current.score === null) {
      this.say('Grade pass / fail or give a score before adding a note');
      return;
    }
    const bar = this.barOf(output);
    if (!bar) return;
    editNoteIn(bar, current.note, `Note for ${this.surface.describe(output)}`, (note) => {
      if (note !== undefined) this.send(output, { ...current, note });
      else renderGradeBar(bar, this.gradeOf(output));
      this.select(output);
    });
  }

  private move(step: 1 | -1): void {
    const outputs = this.surface.outputs();
    if (outputs.length === 0) return;
    const selected = this.selected;
    const keyOf = (output: O): string => this.surface.keyOf(output);
    const at = selected === undefined ? -1 : outputs.findIndex((o) => keyOf(o) === keyOf(selected));
    const next = at < 0 ? (step === 1 ? 0 : outputs.length - 1) : Math.min(outputs.length - 1, Math.max(0, at + step));
    const output = outputs[next];
    if (output !== undefined) this.select(output);
  }

  private onKey(event: KeyboardEvent): void {
    const command = gradeCommandOf(event);
    if (!command) return;
    // Arrows move between outputs only once one is selected; before that they scroll the page.
    if (command.kind === 'move') {
      if (command.arrow && this.selected === undefined) return;
      this.move(command.step);
    } else if (this.selected === undefined) return;
    else this.apply(this.selected, command);
    event.preventDefault();
  }
}
