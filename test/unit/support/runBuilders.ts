// Test data builders for runs (plain objects in the run-file shapes).
import type { CaseResult, EvaluationResult, RunHeader, SampleResult } from '../../../src/core/run/types';
import type { RunData } from '../../../src/core/compare/types';

export function header(overrides: Partial<RunHeader> = {}): RunHeader {
  return {
    kind: 'promptlab-run',
    formatVersion: 1,
    runId: 'run-a',
    promptFile: '/ws/summarize.prompt.yml',
    promptFileRelative: 'summarize.prompt.yml',
    contentHash: 'h',
    model: 'openai/gpt-4o',
    endpointOrigin: 'http://127.0.0.1:1',
    provider: 'openai',
    parameters: {},
    repeat: 1,
    caseCount: 0,
    startedAt: '2026-11-26T08:00:00.000Z',
    toolVersion: '0.1.0',
    ...overrides,
  };
}

export function evaluation(evaluatorName: string, passed: boolean, score = passed ? 1 : 0): EvaluationResult {
  return { evaluatorName, passed, score, details: passed ? 'ok' : 'nope' };
}

export function sample(
  output: string,
  evaluations: EvaluationResult[],
  extra: Partial<SampleResult> = {},
): SampleResult {
  return {
    sample: 0,
    output,
    evaluations,
    passed: evaluations.every((e) => e.passed),
    latencyMs: 100,
    costUsd: 0.001,
    cached: false,
    usage: { prompt: 10, completion: 5, total: 15 },
    ...extra,
  };
}

/** A case whose samples pass or fail as listed (one `contains` evaluator). */
export function kase(
  caseIndex: number,
  key: string,
  outcomes: boolean[],
  output = `output ${key}`,
  scores?: number[],
): CaseResult {
  const samples = outcomes.map((passed, i) => ({
    ...sample(output, [evaluation('has-answer', passed, scores?.[i] ?? (passed ? 1 : 0))]),
    sample: i,
  }));
  const passRate = samples.filter((s) => s.passed).length / samples.length;
  return { caseIndex, caseKey: key, vars: { input: key }, samples, passRate, passed: passRate === 1 };
}

export function run(runId: string, cases: CaseResult[], overrides: Partial<RunHeader> = {}): RunData {
  return {
    header: header({ runId, caseCount: cases.length, repeat: cases[0]?.samples.length ?? 1, ...overrides }),
    cases,
  };
}
