// Grading in the run panel's results grid: the grade in each row's Grade cell, a grade bar under
// each reply in the expanded details (pass / fail, 1–5, note), a keyboard path through the outputs
// (shown in a hint) that follows the grid's selected row, and marks on evaluators that agree poorly
// with the person's grades (column heads and verdict lists). The host stores grades and computes agreement; this
// file only shows them and reports what the person did.

import type { EvaluatorTrustView, GradeInput, GradeView, RunViewMessage, VerdictView } from '../protocol/run';
import { el, icon } from './common/dom';

export const GRADING_HINT =
  'Grade with the keyboard: j / k next / previous output · p pass · f fail · 1–5 score · e note · x clear';

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

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable ||
      target instanceof HTMLInputElement ||
      target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement)
  );
}

export class GradingController {
  private readonly grades = new Map<string, GradeView>();
  private readonly trust = new Map<string, EvaluatorTrustView>();
  private readonly bars = new Map<string, HTMLElement>();
  private selected: GradableOutput | undefined;
  private seq = 0;
  /** Grades sent but maybe not yet in the host's answer: shown as given until the host has saved them. */
  private readonly pending = new Map<string, { seq: number; view: GradeView | undefined }>();
  private readonly status = el('span', {
    className: 'grading-status',
    attrs: { role: 'status', 'aria-live': 'polite' },
  });

  constructor(
    private readonly root: HTMLElement,
    private readonly host: GradingHost,
  ) {
    root.ownerDocument.addEventListener('keydown', (event) => this.onKey(event));
    root.addEventListener('click', (event) => this.onClick(event));
  }

  hint(): HTMLElement {
    return el('div', { className: 'grading-hint' }, [
      icon('keyboard'),
      el('span', { className: 'grading-keys', text: GRADING_HINT }),
      this.status,
    ]);
  }

  /** New grades and trust from the host: they replace the old ones. */
  setGrades(grades: GradeView[], trust: EvaluatorTrustView[], appliedSeq: number): void {
    this.grades.clear();
    for (const g of grades) this.grades.set(keyOf(g), g);
    // An answer read before the host saved a newer grade must not undo it on screen.
    for (const [key, edit] of this.pending) {
      if (edit.seq <= appliedSeq) this.pending.delete(key);
      else if (edit.view) this.grades.set(key, edit.view);
      else this.grades.delete(key);
    }
    this.trust.clear();
    for (const t of trust) this.trust.set(t.name, t);
    for (const [key, bar] of this.bars) {
      if (!bar.isConnected) this.bars.delete(key);
      else this.renderBar(bar, this.grades.get(key));
    }
    for (const name of this.root.querySelectorAll<HTMLElement>('.evaluator-name[data-evaluator]'))
      this.markEvaluator(name);
    this.host.changed();
  }

  /** The Grade cell of a row: the grade of its only output, or how many of its outputs are graded. */
  gradeCell(caseIndex: number, samples: number[]): GradeCellView | undefined {
    const graded = samples
      .map((sample) => this.grades.get(keyOf({ caseIndex, sample })))
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
    this.renderBar(bar, this.grades.get(keyOf(output)));
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

  private say(text: string): void {
    this.status.textContent = text;
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

  private renderBar(bar: HTMLElement, grade: GradeView | undefined): void {
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

  private current(output: GradableOutput): Omit<GradeInput, 'seq'> {
    const g = this.grades.get(keyOf(output));
    return {
      caseIndex: output.caseIndex,
      sample: output.sample,
      verdict: g?.verdict ?? null,
      score: g?.score ?? null,
      note: g?.note ?? '',
    };
  }

  /** Applies a change at once (the host's answer replaces it) and tells the host. */
  private send(change: Omit<GradeInput, 'seq'>): void {
    const input: GradeInput = { ...change, seq: ++this.seq };
    const key = keyOf(input);
    if (input.verdict === null && input.score === null && input.note.trim() === '') this.grades.delete(key);
    else {
      const view: GradeView = { caseIndex: input.caseIndex, sample: input.sample, at: new Date().toISOString() };
      if (input.verdict !== null) view.verdict = input.verdict;
      if (input.score !== null) view.score = input.score;
      if (input.note.trim() !== '') view.note = input.note.trim();
      this.grades.set(key, view);
    }
    this.pending.set(key, { seq: input.seq, view: this.grades.get(key) });
    const bar = this.bars.get(key);
    if (bar?.isConnected) this.renderBar(bar, this.grades.get(key));
    this.host.changed();
    this.host.post({ type: 'grade', ...input });
  }

  private verdict(output: GradableOutput, verdict: VerdictView): void {
    const input = this.current(output);
    input.verdict = input.verdict === verdict ? null : verdict;
    this.send(input);
    this.say(`Case ${output.caseIndex + 1}: ${input.verdict ?? 'verdict cleared'}`);
  }

  private score(output: GradableOutput, score: number): void {
    const input = this.current(output);
    input.score = input.score === score ? null : score;
    this.send(input);
    this.say(`Case ${output.caseIndex + 1}: ${input.score === null ? 'score cleared' : `score ${input.score}`}`);
  }

  private editNote(output: GradableOutput): void {
    const current = this.current(output);
    if (current.verdict === null && current.score === null) {
      this.say('Grade pass / fail or give a score before adding a note');
      return;
    }
    const bar = this.bars.get(keyOf(output));
    if (!bar?.isConnected) return;
    const input = el('input', {
      className: 'grade-note-input',
      attrs: {
        type: 'text',
        'aria-label': `Note for case ${output.caseIndex + 1}`,
        maxlength: '2000',
        placeholder: 'Note (Enter saves, Escape cancels)',
      },
    });
    input.value = current.note;
    input.addEventListener('keydown', (event) => {
      event.stopPropagation();
      if (event.key === 'Enter') {
        this.send({ ...current, note: input.value });
        this.select(output);
      } else if (event.key === 'Escape') {
        this.renderBar(bar, this.grades.get(keyOf(output)));
        this.select(output);
      }
    });
    bar.append(input);
    input.focus();
  }

  private onClick(event: MouseEvent): void {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest<HTMLButtonElement>('button[data-grade-action]');
    const bar = button?.closest<HTMLElement>('.grade-bar');
    if (button && bar) {
      const output = { caseIndex: Number(bar.dataset.case), sample: Number(bar.dataset.sample) };
      this.select(output);
      this.act(output, button.dataset.gradeAction ?? '');
      return;
    }
    const sample = target?.closest<HTMLElement>('.sample[data-case]');
    if (sample && sample.dataset.error === undefined && !target?.closest('button, a, input'))
      this.select({ caseIndex: Number(sample.dataset.case), sample: Number(sample.dataset.sample) });
  }

  private act(output: GradableOutput, action: string): void {
    if (action === 'pass' || action === 'fail') this.verdict(output, action);
    else if (action === 'note') this.editNote(output);
    else if (action.startsWith('score-')) this.score(output, Number(action.slice('score-'.length)));
  }

  private move(step: 1 | -1): void {
    const outputs = this.host.outputs();
    if (outputs.length === 0) return;
    const at = this.selected ? outputs.findIndex((o) => keyOf(o) === keyOf(this.selected as GradableOutput)) : -1;
    const next = at < 0 ? (step === 1 ? 0 : outputs.length - 1) : Math.min(outputs.length - 1, Math.max(0, at + step));
    const output = outputs[next];
    if (output) this.select(output);
  }

  private onKey(event: KeyboardEvent): void {
    // Keys the grid used (arrows, n for the next failure, Enter) are not grading keys.
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    const key = event.key;
    // Arrows move between outputs only once one is selected; before that they scroll the panel.
    if (key === 'j' || (key === 'ArrowDown' && this.selected)) this.move(1);
    else if (key === 'k' || (key === 'ArrowUp' && this.selected)) this.move(-1);
    else if (!this.selected) return;
    else if (key === 'p') this.verdict(this.selected, 'pass');
    else if (key === 'f') this.verdict(this.selected, 'fail');
    else if (/^[1-5]$/.test(key)) this.score(this.selected, Number(key));
    else if (key === 'e') this.editNote(this.selected);
    else if (key === 'x' || key === 'Delete' || key === 'Backspace') {
      this.send({
        caseIndex: this.selected.caseIndex,
        sample: this.selected.sample,
        verdict: null,
        score: null,
        note: '',
      });
      this.say(`Case ${this.selected.caseIndex + 1}: grade removed`);
    } else return;
    event.preventDefault();
  }
}
