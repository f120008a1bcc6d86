// "Compare models": the same prompt and cases on several models, one run each (the response cache
// makes re-runs free), then a two-way comparison or an N-way matrix.

import { runPrompt, type RunOptions, type RunOutcome } from '../engine';
import { PromptLabError } from '../errors';
import type { PromptFile } from '../model';

export interface ModelCompareOptions {
  prompt: PromptFile;
  /** Two or more model ids, in column order. */
  models: readonly string[];
  run: Omit<RunOptions, 'prompt' | 'model' | 'label'>;
}

export async function runOnModels(options: ModelCompareOptions): Promise<RunOutcome[]> {
  const models = [...new Set(options.models.map((m) => m.trim()).filter(Boolean))];
  if (models.length < 2)
    throw new PromptLabError(`Pick at least two different models to compare (got ${models.length}).`, 'input');
  const outcomes: RunOutcome[] = [];
  // One model at a time: each run already sends `concurrency` requests in parallel.
  for (const model of models) {
    if (options.run.signal?.aborted) throw new PromptLabError('Comparison cancelled.', 'input');
    outcomes.push(await runPrompt({ ...options.run, prompt: options.prompt, model }));
  }
  return outcomes;
}
