// Plain-text and Markdown renderings of a comparison (CLI output, PR comments).

import { escapeMarkdown } from '../../format/escape';
import { formatChange, formatCost, formatDuration, formatPercent, formatScore } from '../../format/numbers';
import type { CompareMatrix, CompareRow, Comparison, SideSummary } from './types';

const pct = formatPercent;
const signed = formatChange;
const money = formatCost;
const ms = formatDuration;
const score = formatScore;

function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function varsPreview(vars: Record<string, unknown>, max = 60): string {
  const text = Object.entries(vars)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v ?? null)}`)
    .join(' ');
  return oneLine(text, max);
}

interface SummaryLine {
  name: string;
  a: string;
  b: string;
  delta: string;
}

function summaryLines(c: Comparison): SummaryLine[] {
  const d = c.deltas;
  const { a, b } = c;
  return [
    { name: 'pass rate', a: pct(a.passRate), b: pct(b.passRate), delta: `${signed(d.passRate, 1)} pp` },
    {
      name: 'mean score',
      a: score(a.meanScore),
      b: score(b.meanScore),
      delta: d.meanScore === null ? 'n/a' : signed(d.meanScore, 3),
    },
    { name: 'tokens', a: String(a.tokens.total), b: String(b.tokens.total), delta: signed(d.tokens, 0) },
    {
      name: 'cost',
      a: money(a.costUsd),
      b: money(b.costUsd),
      delta:
        d.costUsd === null ? 'n/a' : `${d.costUsd > 0 ? '+' : d.costUsd < 0 ? '-' : ''}${money(Math.abs(d.costUsd))}`,
    },
    {
      name: 'mean latency',
      a: ms(a.meanLatencyMs),
      b: ms(b.meanLatencyMs),
      delta: d.meanLatencyMs === null ? 'n/a' : signed(d.meanLatencyMs, 0, ' ms'),
    },
    {
      name: 'flaky cases',
      a: String(a.flakyCases),
      b: String(b.flakyCases),
      delta: signed(b.flakyCases - a.flakyCases, 0),
    },
  ];
}

function rowReason(r: CompareRow): string {
  const parts: string[] = [];
  const first = r.reasons[0];
  if (first === 'pass-to-fail' || first === 'fail-to-pass')
    parts.push(first === 'pass-to-fail' ? 'pass → FAIL' : 'fail → PASS');
  else if (first === 'pass-rate-down' || first === 'pass-rate-up')
    parts.push(`pass rate ${pct(r.a.passRate * 100)} → ${pct(r.b.passRate * 100)}`);
  if (r.scoreDelta !== null && r.scoreDelta !== 0) parts.push(`score ${score(r.a.score)} → ${score(r.b.score)}`);
  const changed = r.evaluators
    .filter((e) => e.change === 'broke' || e.change === 'fixed')
    .map((e) => `${e.evaluatorName} ${e.change}`);
  if (changed.length) parts.push(changed.join(', '));
  if (r.evidence === 'within-noise') parts.push('within the case’s noise');
  return parts.join('; ');
}

/** "3 regression(s), 1 improvement(s), 0 unchanged", naming the beyond-noise count only when repeats made one measurable. */
function countsLine(c: Comparison, bold = false): string {
  const b = (n: number): string => (bold ? `**${n}**` : String(n));
  const measured = c.rows.some((r) => r.evidence === 'beyond-noise' || r.evidence === 'within-noise');
  const noise = measured ? ` (${c.counts.regressionsBeyondNoise} beyond the case’s own noise)` : '';
  return `${b(c.counts.regressions)} regression(s)${noise}, ${b(c.counts.improvements)} improvement(s), ${c.counts.unchanged} unchanged`;
}

function shortValue(value: unknown): string {
  return value === undefined ? '(unset)' : oneLine(JSON.stringify(value) ?? String(value), 40);
}

/** The prompt's own change in one line per kind, or nothing when the prompt did not change. */
export function promptChangeLines(c: Comparison): string[] {
  const p = c.prompt;
  const lines: string[] = [];
  if (p.model) lines.push(`model: ${p.model.a} → ${p.model.b}`);
  for (const param of p.parameters) lines.push(`${param.name}: ${shortValue(param.a)} → ${shortValue(param.b)}`);
  for (const m of p.messages) {
    const role = m.roleA ?? m.roleB ?? 'message';
    const what = m.change === 'role' ? `role ${m.roleA} → ${m.roleB}` : m.change === 'content' ? 'changed' : m.change;
    lines.push(`message ${m.index + 1} (${role}): ${what}`);
  }
  if (lines.length === 0 && !p.sameContent && !p.messagesKnown)
    lines.push('the prompt file differs (its messages were not recorded in these runs)');
  else if (lines.length === 0 && !p.sameContent)
    lines.push('the prompt file differs outside its messages, model and parameters');
  return lines;
}

function sideName(s: SideSummary): string {
  return s.revision && !s.label.includes(s.revision) ? `${s.label} @ ${s.revision}` : s.label;
}

export function formatComparisonText(c: Comparison, options: { maxRows?: number } = {}): string {
  const maxRows = options.maxRows ?? 20;
  const out: string[] = [];
  out.push(`A: ${sideName(c.a)}  (${c.a.runId}, ${c.a.cases} cases)`);
  out.push(`B: ${sideName(c.b)}  (${c.b.runId}, ${c.b.cases} cases)`);
  for (const w of c.warnings) out.push(`warning: ${w}`);
  out.push('');
  const lines = summaryLines(c);
  const w0 = Math.max(...lines.map((l) => l.name.length));
  const w1 = Math.max(1, ...lines.map((l) => l.a.length));
  const w2 = Math.max(1, ...lines.map((l) => l.b.length));
  out.push(`${''.padEnd(w0)}  ${'A'.padStart(w1)}  ${'B'.padStart(w2)}  Δ`);
  for (const l of lines) out.push(`${l.name.padEnd(w0)}  ${l.a.padStart(w1)}  ${l.b.padStart(w2)}  ${l.delta}`);
  const promptLines = promptChangeLines(c);
  if (promptLines.length) out.push('', 'prompt changes:', ...promptLines.map((l) => `  ${l}`));
  out.push('');
  out.push(countsLine(c));
  out.push(`verdict: ${c.noise.verdict} — ${c.noise.headline}`);
  out.push(`test: ${c.noise.explanation}`);
  const changed = c.rows.filter((r) => r.class !== 'unchanged');
  if (changed.length) out.push('');
  for (const r of changed.slice(0, maxRows)) {
    const mark = r.class === 'regression' ? '✗' : '✓';
    out.push(`${mark} ${r.label} [${r.class}] ${rowReason(r)}`);
    out.push(`    vars: ${varsPreview(r.vars)}`);
    if (r.outputChanged) {
      out.push(`    A: ${oneLine(r.a.error ? `error: ${r.a.error}` : r.a.output)}`);
      out.push(`    B: ${oneLine(r.b.error ? `error: ${r.b.error}` : r.b.output)}`);
    }
  }
  if (changed.length > maxRows) out.push(`… ${changed.length - maxRows} more changed case(s) (use --json for all)`);
  if (c.onlyInA.length) out.push('', `only in A: ${c.onlyInA.map((u) => u.label).join(', ')}`);
  if (c.onlyInB.length) out.push(`only in B: ${c.onlyInB.map((u) => u.label).join(', ')}`);
  return out.join('\n') + '\n';
}

/** Untrusted text (model output, labels, model ids) in Markdown. */
const mdCell = (text: string): string => escapeMarkdown(text);
/** Our own sentences (verdicts, reasons) in a Markdown table: only what would break the row. */
const mdOwn = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function formatComparisonMarkdown(c: Comparison, options: { maxRows?: number } = {}): string {
  const maxRows = options.maxRows ?? 50;
  const out: string[] = [];
  out.push(`### PromptLab comparison: ${mdCell(sideName(c.a))} → ${mdCell(sideName(c.b))}`, '');
  const icon = c.noise.verdict === 'worse' ? '🔴' : c.noise.verdict === 'better' ? '🟢' : '⚪';
  out.push(`${icon} **${c.noise.verdict}** — ${mdOwn(c.noise.headline)}`, '');
  out.push(`<sub>${mdOwn(c.noise.explanation)}</sub>`, '');
  const promptLines = promptChangeLines(c);
  if (promptLines.length) out.push(`Prompt changes: ${promptLines.map(mdCell).join('; ')}.`, '');
  for (const w of c.warnings) out.push(`> ⚠️ ${mdOwn(w)}`, '');
  out.push('| | A | B | Δ |', '|---|---:|---:|---:|');
  for (const l of summaryLines(c)) out.push(`| ${l.name} | ${l.a} | ${l.b} | ${l.delta} |`);
  out.push('');
  out.push(`${countsLine(c, true)}.`);
  const changed = c.rows.filter((r) => r.class !== 'unchanged');
  if (changed.length) {
    out.push('', '| case | change | detail | A output | B output |', '|---|---|---|---|---|');
    for (const r of changed.slice(0, maxRows))
      out.push(
        `| ${r.label} | ${r.class} | ${mdOwn(rowReason(r))} | ${mdCell(oneLine(r.a.error ?? r.a.output, 60))} | ${mdCell(oneLine(r.b.error ?? r.b.output, 60))} |`,
      );
    if (changed.length > maxRows) out.push('', `… ${changed.length - maxRows} more changed case(s).`);
  }
  if (c.onlyInA.length || c.onlyInB.length)
    out.push('', `Unmatched cases — only in A: ${c.onlyInA.length}, only in B: ${c.onlyInB.length}.`);
  return out.join('\n') + '\n';
}

export function formatMatrixText(m: CompareMatrix): string {
  const out: string[] = [];
  for (const w of m.warnings) out.push(`warning: ${w}`);
  out.push(
    m.columns
      .map(
        (c, i) =>
          `[${i + 1}] ${c.label}: pass ${pct(c.summary.passRate)}, score ${score(c.summary.meanScore)}, cost ${money(c.summary.costUsd)}, latency ${ms(c.summary.meanLatencyMs)}`,
      )
      .join('\n'),
  );
  out.push('');
  const width = Math.max(4, ...m.rows.map((r) => r.label.length));
  out.push(`${'case'.padEnd(width)}  ${m.columns.map((_, i) => `[${i + 1}]`.padEnd(5)).join(' ')}`);
  for (const r of m.rows)
    out.push(
      `${r.label.padEnd(width)}  ${r.cells.map((c) => (c === null ? '-' : c.passed ? 'pass' : 'FAIL').padEnd(5)).join(' ')}${r.disagreement ? '  ← disagree' : ''}`,
    );
  return out.join('\n') + '\n';
}
