// What a comparison says in plain language, and what changed in the prompt itself. Computed here
// once so the CLI, the Markdown report and the compare view say the same thing.
//
// The headline never claims more than the data can carry: it names how many cases got worse or
// better, and whether that could be chance (the test's p-value or interval, the number of cases),
// with advice to run more cases or repeats when it could. Per-case evidence is "single-sample" when
// a side has one sample: one case cannot show whether its own change is chance.

import type { ModelParameters } from '../model';
import type { RunHeader } from '../run/types';
import { diffOutputs } from './diff';
import type { CaseEvidence, CompareRow, DiffSegment, NoiseAssessment, PromptChange } from './types';

/** "p = 0.13", "p = 0.021", "p < 0.001". */
function p(value: number): string {
  if (value < 0.001) return 'p < 0.001';
  return `p = ${value >= 0.1 ? value.toFixed(2) : value.toFixed(3)}`;
}

function cases(n: number): string {
  return `${n} case${n === 1 ? '' : 's'}`;
}

/** One sentence: which side is better on how many cases, and whether that could be chance. */
export function verdictHeadline(rows: readonly CompareRow[], noise: Omit<NoiseAssessment, 'headline'>): string {
  const n = rows.length;
  const worse = rows.filter((r) => r.class === 'regression').length;
  const better = rows.filter((r) => r.class === 'improvement').length;
  if (n === 0) return 'No case is in both runs, so there is nothing to compare.';
  if (worse === 0 && better === 0) return `A and B give the same verdicts and scores on all ${cases(n)}.`;
  const repeats = rows.some((r) => r.a.samples < 2 || r.b.samples < 2) ? 'more cases or repeats' : 'more cases';
  const counted =
    worse > 0 && better > 0
      ? `B is worse on ${worse} and better on ${better} of ${cases(n)}`
      : worse > 0
        ? `B is worse on ${worse} of ${cases(n)}`
        : `B is better on ${better} of ${cases(n)}`;
  const { mcnemar, bootstrap } = noise;
  const flips = mcnemar.passToFail + mcnemar.failToPass;
  if (noise.verdict !== 'within-noise') {
    const direction = noise.verdict === 'worse' ? 'worse' : 'better';
    if (noise.decidedBy === 'paired-bootstrap' && bootstrap) {
      const interval = `${Math.round(bootstrap.confidence * 100)}% interval ${bootstrap.low.toFixed(2)} to ${bootstrap.high.toFixed(2)}`;
      return `${counted}; B scores ${direction === 'worse' ? 'lower' : 'higher'} on average (${signed(bootstrap.meanDifference)}, ${interval}), unlikely to be chance.`;
    }
    return `${counted}; ${mcnemar.passToFail} went from pass to fail and ${mcnemar.failToPass} the other way, unlikely to be chance (${p(mcnemar.pValue)}).`;
  }
  if (worse === better) return `${counted}: no clear difference${flips > 0 ? ` (${p(mcnemar.pValue)})` : ''}.`;
  let evidence: string;
  if (flips > 0) evidence = p(mcnemar.pValue);
  else if (!bootstrap) evidence = 'too few scored cases to test';
  else if (bootstrap.low <= 0 && bootstrap.high >= 0)
    evidence = `the score change's ${Math.round(bootstrap.confidence * 100)}% interval includes 0`;
  else evidence = `${cases(bootstrap.pairs)} are too few for the score test to decide`;
  return `${counted}; with ${cases(n)} that could be chance — ${evidence}; run ${repeats} to be sure.`;
}

function signed(value: number): string {
  return `${value > 0 ? '+' : ''}${value.toFixed(2)}`;
}

/**
 * What a single row may claim. With one sample on a side there is no estimate of the case's own
 * noise, so the row says nothing about significance.
 */
export function caseEvidence(row: Pick<CompareRow, 'class' | 'a' | 'b' | 'beyondNoise'>): CaseEvidence {
  if (row.class === 'unchanged') return 'none';
  if (row.a.samples < 2 || row.b.samples < 2) return 'single-sample';
  return row.beyondNoise ? 'beyond-noise' : 'within-noise';
}

function parameterValue(parameters: ModelParameters, name: string): unknown {
  return (parameters as Record<string, unknown>)[name];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The prompt's own change between the two runs: model, parameters and (when recorded) messages. */
export function promptChange(a: RunHeader, b: RunHeader): PromptChange {
  const change: PromptChange = {
    sameContent: a.contentHash === b.contentHash,
    parameters: [],
    messages: [],
    messagesKnown: false,
  };
  if (a.model !== b.model) change.model = { a: a.model, b: b.model };
  const names = [...new Set([...Object.keys(a.parameters), ...Object.keys(b.parameters)])].sort();
  for (const name of names) {
    const va = parameterValue(a.parameters, name);
    const vb = parameterValue(b.parameters, name);
    if (!same(va, vb))
      change.parameters.push({ name, ...(va !== undefined ? { a: va } : {}), ...(vb !== undefined ? { b: vb } : {}) });
  }
  if (a.messages && b.messages) {
    change.messagesKnown = true;
    const count = Math.max(a.messages.length, b.messages.length);
    for (let index = 0; index < count; index++) {
      const ma = a.messages[index];
      const mb = b.messages[index];
      if (ma && mb && ma.role === mb.role && ma.content === mb.content) continue;
      const segments: DiffSegment[] = diffOutputs(ma?.content ?? '', mb?.content ?? '').segments;
      change.messages.push({
        index,
        ...(ma ? { roleA: ma.role } : {}),
        ...(mb ? { roleB: mb.role } : {}),
        change: !ma ? 'added' : !mb ? 'removed' : ma.role !== mb.role ? 'role' : 'content',
        segments,
      });
    }
  }
  return change;
}
