// What a run of a prompt file will cost before it starts: requests (cases × repeats, plus judge
// and embedding calls), input tokens counted with the model's tokenizer, an output-token bound
// (maxTokens, else the longest reply of recent runs of the file, else an assumed bound) and a
// cost range. The response cache is not consulted: cached replies would cost nothing.
import { BUILTIN_JUDGES } from '../evaluators/builtin';
import { DEFAULT_EMBEDDING_MODEL, DEFAULT_JUDGE_MODEL } from '../evaluators/types';
import type { PromptFile, TestCase } from '../model';
import { costUsd, describePriceSource } from '../providers/pricing';
import type { ChatMessage, ModelPrice, ModelResolver } from '../providers/types';
import { renderMessages } from '../run/render';
import type { RunStore } from '../store/runStore';
import { renderTemplate } from '../template';
import { ASSUMED_OUTPUT_TOKENS, countChat, countText, type Tokenizer, tokenizerFor, upperBound } from './tokens';

export { ASSUMED_OUTPUT_TOKENS };

/** Judge prompts wrap the template in instructions of their own (system prompt, reply format). */
const JUDGE_INSTRUCTION_TOKENS = 100;
/** How many of the newest runs of the same file and model are read for the output bound. */
const PAST_RUNS_READ = 3;

export type OutputBoundSource = 'maxTokens' | 'past runs' | 'assumed';

export interface OutputBound {
  /** Upper bound of output tokens per request. */
  tokens: number;
  /** Typical output tokens per request (mean of past runs), when known. */
  typical?: number;
  source: OutputBoundSource;
}

export interface RequestGroupEstimate {
  role: 'model' | 'judge' | 'embedding';
  /** The model id as the user wrote it (or the default judge / embedding model). */
  model: string;
  /** e.g. the evaluator name for judge and embedding calls. */
  for?: string;
  requests: number;
  inputTokens: number;
  /** Output tokens of all requests at the bound (0 for embeddings). */
  outputTokensHigh: number;
  tokenizer: string;
  costUsdLow: number | null;
  costUsdHigh: number | null;
  /** Where the price came from, or `no price known`. */
  priceSource: string;
}

export interface FileEstimate {
  file: string;
  model: string;
  cases: number;
  repeat: number;
  /** Every request the run would send (model, judge and embedding calls). */
  requests: number;
  /** Input tokens of every request. */
  inputTokens: number;
  /** Tokenizer used for the model's requests: `o200k_base`, `cl100k_base` or `approximate (…)`. */
  tokenizer: string;
  /** Output-token bound per model request and where it comes from. */
  outputBound: OutputBound;
  outputTokensHigh: number;
  /** `null` when some request's price is unknown. */
  costUsdLow: number | null;
  costUsdHigh: number | null;
  /** Price source of the model's requests. */
  priceSource: string;
  groups: RequestGroupEstimate[];
}

export interface EstimateOptions {
  prompt: PromptFile;
  resolver: ModelResolver;
  /** Overrides the file's model (as `--model`). */
  model?: string;
  repeat?: number;
  judgeModel?: string;
  embeddingModel?: string;
  /** Where past runs are looked up for the output bound. */
  store?: RunStore;
  /** Count one case with no variables for a file without test data (the editor's run). */
  runWithoutTestData?: boolean;
  /**
   * Count only these cases (by index), each with its own number of samples instead of `repeat`:
   * what a resume still sends (src/core/run/resume.ts, pendingSampleCounts).
   */
  caseSamples?: ReadonlyMap<number, number>;
}

/** The longest reply of the newest runs of this file with this model, in completion tokens. */
async function pastRunBound(store: RunStore, prompt: PromptFile, model: string): Promise<OutputBound | undefined> {
  let infos;
  try {
    infos = await store.list();
  } catch {
    return undefined;
  }
  const mine = infos
    .filter((info) => info.header.promptFile === prompt.path && info.header.model === model)
    .slice(0, PAST_RUNS_READ);
  let max = 0;
  let sum = 0;
  let count = 0;
  for (const info of mine) {
    let run;
    try {
      run = await store.load(info.file);
    } catch {
      continue;
    }
    for (const result of run.cases) {
      for (const sample of result.samples) {
        if (!sample.usage || sample.error !== undefined) continue;
        max = Math.max(max, sample.usage.completion);
        sum += sample.usage.completion;
        count++;
      }
    }
  }
  return count === 0 ? undefined : { tokens: max, typical: sum / count, source: 'past runs' };
}

/** maxTokens when the file sets it; else the longest reply of recent runs; else ASSUMED_OUTPUT_TOKENS. */
export async function outputBoundFor(prompt: PromptFile, model: string, store?: RunStore): Promise<OutputBound> {
  const maxTokens = prompt.modelParameters.maxTokens;
  const past = store ? await pastRunBound(store, prompt, model) : undefined;
  if (maxTokens !== undefined)
    return {
      tokens: maxTokens,
      ...(past?.typical !== undefined ? { typical: Math.min(past.typical, maxTokens) } : {}),
      source: 'maxTokens',
    };
  return past ?? { tokens: ASSUMED_OUTPUT_TOKENS, source: 'assumed' };
}

function selectCases(prompt: PromptFile, runWithoutTestData: boolean | undefined): readonly TestCase[] {
  if (prompt.testData.length === 0 && runWithoutTestData)
    return [{ index: 0, vars: {}, range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } } }];
  return prompt.testData;
}

class GroupBuilder {
  requests = 0;
  inputTokens = 0;
  outputHigh = 0;
  costLow = 0;
  costHigh = 0;

  constructor(
    readonly role: RequestGroupEstimate['role'],
    readonly model: string,
    readonly tokenizer: Tokenizer,
    readonly price: ModelPrice | undefined,
    readonly label?: string,
  ) {}

  /** `count` requests of `inputTokens` each; priced per request (long-context tiers apply per request). */
  add(count: number, inputTokens: number, outputHigh: number, outputLow: number): void {
    this.requests += count;
    this.inputTokens += count * inputTokens;
    this.outputHigh += count * outputHigh;
    if (!this.price) return;
    const high = upperBound(this.tokenizer, inputTokens);
    this.costLow +=
      count *
      (costUsd({ prompt: inputTokens, completion: outputLow, total: inputTokens + outputLow }, this.price) ?? 0);
    this.costHigh +=
      count * (costUsd({ prompt: high, completion: outputHigh, total: high + outputHigh }, this.price) ?? 0);
  }

  build(): RequestGroupEstimate {
    const group: RequestGroupEstimate = {
      role: this.role,
      model: this.model,
      requests: this.requests,
      inputTokens: this.inputTokens,
      outputTokensHigh: this.outputHigh,
      tokenizer: this.tokenizer.label,
      costUsdLow: this.price ? this.costLow : null,
      costUsdHigh: this.price ? this.costHigh : null,
      priceSource: describePriceSource(this.price),
    };
    if (this.label !== undefined) group.for = this.label;
    return group;
  }
}

function sumOrNull(values: (number | null)[]): number | null {
  return values.some((v) => v === null) ? null : (values as number[]).reduce((a, b) => a + b, 0);
}

/**
 * Estimates one file, case by case: each request's input is counted with the model's tokenizer
 * (about 10 µs for a short case) and priced on its own.
 */
export async function estimatePrompt(options: EstimateOptions): Promise<FileEstimate> {
  const { prompt, resolver } = options;
  const model = options.model ?? prompt.model;
  if (!model) throw new Error('No model: the prompt file has no `model` and none was given');
  const repeat = options.repeat ?? Math.max(1, prompt.repeat || 1);
  const { caseSamples } = options;
  const all = selectCases(prompt, options.runWithoutTestData);
  const cases = caseSamples ? all.filter((c) => caseSamples.has(c.index)) : all;
  const resolved = resolver.resolve(model);
  const tokenizer = tokenizerFor(model);
  const bound = await outputBoundFor(prompt, model, options.store);
  const typical = bound.typical ?? 0;
  const main = new GroupBuilder('model', model, tokenizer, resolved.price);
  const judgeDefault = options.judgeModel ?? DEFAULT_JUDGE_MODEL;
  const embeddingDefault = options.embeddingModel ?? DEFAULT_EMBEDDING_MODEL;

  const side: { builder: GroupBuilder; inputFor: (vars: Record<string, unknown>) => number; output: number }[] = [];
  for (const spec of prompt.evaluators) {
    if (spec.kind === 'llm' || spec.kind === 'builtin') {
      const id = spec.kind === 'llm' && spec.modelId.trim() !== '' ? spec.modelId : judgeDefault;
      const judgeTokenizer = tokenizerFor(id);
      const template =
        spec.kind === 'llm' ? spec.prompt : (BUILTIN_JUDGES[spec.uses.replace(/^github\//, '')]?.prompt ?? '');
      const system = spec.kind === 'llm' ? (spec.systemPrompt ?? '') : '';
      const builder = new GroupBuilder('judge', id, judgeTokenizer, resolver.resolve(id).price, spec.name);
      // The judge sees the reply: at most the output bound, counted on top of the template.
      const inputFor = (vars: Record<string, unknown>): number => {
        const messages: ChatMessage[] = [
          { role: 'user', content: renderTemplate(template, { ...vars, completion: '' }) },
        ];
        if (system) messages.unshift({ role: 'system', content: renderTemplate(system, vars) });
        return countChat(judgeTokenizer, messages) + JUDGE_INSTRUCTION_TOKENS + bound.tokens;
      };
      side.push({ builder, inputFor, output: ASSUMED_OUTPUT_TOKENS });
    } else if (spec.kind === 'similarity') {
      const id = spec.modelId?.trim() || embeddingDefault;
      const embedTokenizer = tokenizerFor(id);
      const builder = new GroupBuilder('embedding', id, embedTokenizer, resolver.resolve(id).price, spec.name);
      side.push({
        builder,
        inputFor: (vars) => countText(embedTokenizer, renderTemplate(spec.expected, vars)) + bound.tokens,
        output: 0,
      });
    }
  }

  for (const testCase of cases) {
    const samples = caseSamples?.get(testCase.index) ?? repeat;
    const input = countChat(tokenizer, renderMessages(prompt, testCase.vars));
    main.add(samples, input, bound.tokens, typical);
    for (const s of side) s.builder.add(samples, s.inputFor(testCase.vars), s.output, 0);
  }

  const groups = [main.build(), ...side.map((s) => s.builder.build())];
  const [first] = groups;
  return {
    file: prompt.path,
    model,
    cases: cases.length,
    repeat,
    requests: groups.reduce((n, g) => n + g.requests, 0),
    inputTokens: groups.reduce((n, g) => n + g.inputTokens, 0),
    tokenizer: tokenizer.label,
    outputBound: bound,
    outputTokensHigh: groups.reduce((n, g) => n + g.outputTokensHigh, 0),
    costUsdLow: sumOrNull(groups.map((g) => g.costUsdLow)),
    costUsdHigh: sumOrNull(groups.map((g) => g.costUsdHigh)),
    priceSource: first?.priceSource ?? 'no price known',
    groups,
  };
}
