// `promptlab estimate`: what `eval` would send and may cost, computed by core (estimatePrompt);
// nothing is sent. A file that cannot be estimated is reported and the others still are.
// Core's modules one by one, not its facade: the facade would load (and initialise) the runner,
// the `openai` client, Ajv and the rest of the engine, which an estimate never uses.
import { estimatePrompt, type FileEstimate } from '../../core/cost/estimate';
import { loadPromptFile } from '../../core/promptfile';
import { loadProviderConfig } from '../../core/providers/config';
import type { EstimateCommand } from '../args';
import { displayPath, expandInputs, runStoreOf } from '../files';
import { formatCost, formatTokens } from '../format/common';
import type { Style } from '../format/table';
import { describeError, EXIT_CANNOT_RUN, EXIT_OK, formatDiagnostic, processIo, reportErrors, type CliIo } from '../io';
import { cliResolver } from '../resolver';

/** The cost range as one phrase: `$0.0012 – $0.0040`, or why it is unknown. */
export function formatCostRange(low: number | null, high: number | null): string {
  if (low === null || high === null) return 'unknown (no price for some model)';
  return low === high ? formatCost(high) : `${formatCost(low)} – ${formatCost(high)}`;
}

function boundText(estimate: FileEstimate): string {
  const { outputBound: bound } = estimate;
  const tokens = formatTokens(bound.tokens);
  if (bound.source === 'maxTokens') return `${tokens} per reply (maxTokens)`;
  if (bound.source === 'past runs')
    return `${tokens} per reply (longest of recent runs; mean ${formatTokens(Math.round(bound.typical ?? 0))})`;
  return `${tokens} per reply (assumed: no maxTokens, no past run)`;
}

export function formatEstimate(estimate: FileEstimate, shown: string, style: Style): string {
  const lines = [
    `${style.bold(shown)}  ${style.dim(`${estimate.model} · ${estimate.cases} cases × ${estimate.repeat}`)}`,
  ];
  const rows = [['', 'requests', 'input tokens', 'output ≤', 'cost', 'tokenizer']];
  for (const group of estimate.groups) {
    const label =
      group.role === 'model'
        ? 'model'
        : `${group.role} ${group.model}${group.for !== undefined ? ` (${group.for})` : ''}`;
    rows.push([
      label,
      formatTokens(group.requests),
      formatTokens(group.inputTokens),
      formatTokens(group.outputTokensHigh),
      formatCostRange(group.costUsdLow, group.costUsdHigh),
      group.tokenizer,
    ]);
  }
  if (estimate.groups.length > 1)
    rows.push([
      'total',
      formatTokens(estimate.requests),
      formatTokens(estimate.inputTokens),
      formatTokens(estimate.outputTokensHigh),
      formatCostRange(estimate.costUsdLow, estimate.costUsdHigh),
      '',
    ]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => Array.from(r[i] ?? '').length))) ?? [];
  rows.forEach((row, r) => {
    const text = row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
    lines.push(`  ${r === 0 ? style.dim(text) : text}`);
  });
  lines.push(`  ${style.dim('output bound:')} ${boundText(estimate)}`);
  const sources = [...new Set(estimate.groups.map((g) => `${g.model}: ${g.priceSource}`))];
  for (const source of sources) lines.push(`  ${style.dim('price')} ${source}`);
  return lines.join('\n');
}

export function runEstimateCommand(command: EstimateCommand, io: CliIo = processIo()): Promise<number> {
  return reportErrors(io, command.debug, () => estimate(command, io));
}

async function estimate(command: EstimateCommand, io: CliIo): Promise<number> {
  const files = await expandInputs(command.inputs, io.cwd);
  const config = await loadProviderConfig(io.cwd, command.config);
  const resolver = cliResolver(config, command, io);
  const defaultModel = command.defaultModel ?? config.defaultModel;
  const store = runStoreOf(command, io);
  const estimates: FileEstimate[] = [];
  let failed = false;
  for (const file of files) {
    const shown = displayPath(file, io.cwd);
    const { prompt, diagnostics } = await loadPromptFile(file);
    for (const diagnostic of diagnostics)
      if (diagnostic.severity === 'error') io.stderr.write(`${formatDiagnostic(diagnostic, io.cwd, io.err)}\n`);
    if (!prompt || diagnostics.some((d) => d.severity === 'error')) {
      failed = true;
      continue;
    }
    const model = command.model ?? prompt.model ?? defaultModel;
    if (model === undefined) {
      io.stderr.write(
        `promptlab: ${shown}: ${io.err.red('error')}: the file has no \`model\`; add one or pass --model / --default-model\n`,
      );
      failed = true;
      continue;
    }
    try {
      const result = await estimatePrompt({
        prompt,
        resolver,
        store,
        model,
        ...(command.repeat !== undefined ? { repeat: command.repeat } : {}),
        ...(config.judgeModel !== undefined ? { judgeModel: config.judgeModel } : {}),
        ...(config.embeddingModel !== undefined ? { embeddingModel: config.embeddingModel } : {}),
      });
      result.file = shown;
      estimates.push(result);
      if (!command.json) io.stdout.write(`${formatEstimate(result, shown, io.out)}\n\n`);
    } catch (error) {
      io.stderr.write(`${describeError(error, io, command.debug)}\n`);
      failed = true;
    }
  }
  if (command.json) io.stdout.write(`${JSON.stringify(estimates.length === 1 ? estimates[0] : estimates, null, 2)}\n`);
  else if (estimates.length > 1) {
    const low = estimates.some((e) => e.costUsdLow === null)
      ? null
      : estimates.reduce((n, e) => n + (e.costUsdLow ?? 0), 0);
    const high = estimates.some((e) => e.costUsdHigh === null)
      ? null
      : estimates.reduce((n, e) => n + (e.costUsdHigh ?? 0), 0);
    const requests = estimates.reduce((n, e) => n + e.requests, 0);
    io.stdout.write(
      `${io.out.bold('All files')}: ${formatTokens(requests)} requests · ${formatCostRange(low, high)}\n`,
    );
  }
  return failed ? EXIT_CANNOT_RUN : EXIT_OK;
}
