// `promptlab run`: render the prompt once with the given variables and stream the reply.
import { setMaxListeners } from 'node:events';
import { containsRange, loadPromptFile, loadProviderConfig, runPrompt, type PromptFile } from '../../core';
import { PromptLabError } from '../../core/errors';
import type { RunCommand } from '../args';
import { displayPath, expandInputs } from '../files';
import { formatCost, formatLatency, formatTokens, sanitizeForTerminal } from '../format/common';
import { cliResolver } from '../resolver';
import {
  describeError,
  EXIT_CANNOT_RUN,
  EXIT_INTERRUPTED,
  EXIT_OK,
  formatDiagnostic,
  processIo,
  type CliIo,
} from '../io';

/** The file reduced to one case with the chosen variables and no evaluators. */
function singleRendering(prompt: PromptFile, command: RunCommand, file: string): PromptFile {
  let vars: Record<string, unknown> = {};
  let range = prompt.keyRanges.messages ?? { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };
  if (command.caseIndex !== undefined) {
    const chosen = prompt.testData[command.caseIndex];
    if (!chosen) {
      throw new PromptLabError(
        `--case ${command.caseIndex + 1}: the file has ${prompt.testData.length} test case${prompt.testData.length === 1 ? '' : 's'}`,
        'input',
        { file, ...(prompt.keyRanges.testData ? { range: prompt.keyRanges.testData } : {}) },
      );
    }
    vars = { ...chosen.vars };
    range = chosen.range;
  }
  Object.assign(vars, command.vars);
  return { ...prompt, testData: [{ index: 0, vars, range }], evaluators: [], repeat: 1 };
}

export async function runRunCommand(command: RunCommand, io: CliIo = processIo()): Promise<number> {
  const controller = new AbortController();
  // Every request in flight listens on this signal (and removes its listener when done): with
  // --concurrency above ~8 Node's default limit of 10 would print a false leak warning.
  setMaxListeners(0, controller.signal);
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  try {
    const [file] = await expandInputs([command.file], io.cwd);
    if (file === undefined)
      throw new PromptLabError(`file not found: ${command.file}`, 'input', { file: command.file });
    const loaded = await loadPromptFile(file);
    const { prompt } = loaded;
    // `run` renders the prompt without evaluators: a problem inside `evaluators` does not concern it.
    const evaluators = prompt?.evaluatorsRange;
    const diagnostics = loaded.diagnostics.filter(
      (d) => !(evaluators && d.file === file && containsRange(evaluators, d.range)),
    );
    for (const diagnostic of diagnostics) {
      // Info notes are for the editor and `validate`; a run shows only what may change its result.
      if (diagnostic.severity === 'error' || (diagnostic.severity === 'warning' && !command.quiet))
        io.stderr.write(`${formatDiagnostic(diagnostic, io.cwd, io.err)}\n`);
    }
    if (!prompt || diagnostics.some((d) => d.severity === 'error')) return EXIT_CANNOT_RUN;

    const config = await loadProviderConfig(io.cwd, command.config);
    const model = command.model ?? prompt.model ?? command.defaultModel ?? config.defaultModel;
    if (model === undefined)
      throw new PromptLabError(
        'the file has no `model`; add one, or pass --default-model (or set defaultModel in the config)',
        'input',
        { file },
      );
    const resolver = cliResolver(config, command, io);
    resolver.resolve(model);

    if (!command.quiet) io.stderr.write(io.err.dim(`${model} · ${displayPath(file, io.cwd)}\n`));
    // Untrusted text: on a terminal, drop control characters (escape sequences) but keep lines.
    const clean = io.stdout.isTTY ? (text: string) => sanitizeForTerminal(text, true) : (text: string) => text;
    let streamed = '';
    const outcome = await runPrompt({
      prompt: singleRendering(prompt, command, file),
      resolver,
      model,
      concurrency: 1,
      signal: controller.signal,
      workspaceRoot: io.cwd,
      onEvent: (event) => {
        if (event.type !== 'case-delta') return;
        streamed += event.text;
        io.stdout.write(clean(event.text));
      },
    });
    const sample = outcome.cases[0]?.samples[0];
    if (outcome.cancelled) {
      io.stdout.write('\n');
      return EXIT_INTERRUPTED;
    }
    if (!sample || sample.error !== undefined) {
      if (streamed) io.stdout.write('\n');
      const reason = sample?.error ?? outcome.cases[0]?.error ?? 'no reply';
      io.stderr.write(`promptlab: ${io.err.red('error')}: ${reason}\n`);
      return EXIT_CANNOT_RUN;
    }
    // Providers that do not stream deliver the whole reply at the end.
    if (!streamed) io.stdout.write(clean(sample.output));
    io.stdout.write('\n');
    if (!command.quiet) {
      const cost =
        outcome.header.priceSource !== undefined && sample.costUsd !== null
          ? `${formatCost(sample.costUsd)} (prices: ${outcome.header.priceSource})`
          : formatCost(sample.costUsd);
      const figures = [`${formatTokens(sample.usage?.total)} tokens`, formatLatency(sample.latencyMs), cost];
      if (sample.ttftMs !== undefined) figures.splice(1, 0, `first token ${formatLatency(sample.ttftMs)}`);
      io.stderr.write(io.err.dim(`${figures.join(' · ')}\n`));
    }
    return EXIT_OK;
  } catch (error) {
    io.stderr.write(`${describeError(error, io, command.debug)}\n`);
    return EXIT_CANNOT_RUN;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
