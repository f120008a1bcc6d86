// What the batch CLI tests share: a prompt file of N cases, a config that routes the models to an
// `openai`-preset provider at the stand-in, a workspace directory, and reading the run file back.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseRunText } from '../../../src/core';
import { after, beforeEach } from 'node:test';
import type { BatchOptions } from '../../../src/standin/batch';
import type { Standin } from '../../../src/standin/server';
import { childEnv, type CliResult, echoSuiteText, removeDir, runCli, tempDir } from './cliHarness';
import { standinFixture } from './standinSetup';

export const KEY = 'sk-batch-test-key';

export function promptText(count: number, extraCases: string[] = [], evaluators = ''): string {
  return echoSuiteText(count, { extraCases, evaluators });
}

export function openAiConfig(url: string, keyEnv = 'PROMPTLAB_BATCH_KEY'): string {
  return [
    'providers:',
    '  oa:',
    '    preset: openai',
    `    baseURL: ${url}`,
    `    apiKeyEnv: ${keyEnv}`,
    'models:',
    '  openai/gpt-4o-mini: oa',
    '  openai/gpt-4o: oa',
    '',
  ].join('\n');
}

export interface Workspace {
  dir: string;
  prompt: string;
  config: string;
  runs: string;
}

export function workspace(prefix: string, prompt: string, config: string): Workspace {
  const dir = tempDir(prefix);
  const file = path.join(dir, 'suite.prompt.yml');
  fs.writeFileSync(file, prompt);
  const configFile = path.join(dir, 'promptlab.config.yaml');
  fs.writeFileSync(configFile, config);
  return { dir, prompt: file, config: configFile, runs: path.join(dir, 'runs') };
}

export function onlyRunFile(runs: string): string {
  const names = fs.readdirSync(runs).filter((n) => n.endsWith('.jsonl'));
  assert.equal(names.length, 1, `one run file in ${runs}: ${names.join(', ')}`);
  return path.join(runs, names[0] as string);
}

/** The run file once the CLI has created it, else ''. Other files (the run's lock) may come first. */
export function runFileIfWritten(runs: string): string {
  const exists = fs.existsSync(runs) && fs.readdirSync(runs).some((n) => n.endsWith('.jsonl'));
  return exists ? onlyRunFile(runs) : '';
}

export function loadRun(file: string) {
  return parseRunText(file, fs.readFileSync(file, 'utf8'));
}

export const env = (key = KEY): NodeJS.ProcessEnv => childEnv({ PROMPTLAB_BATCH_KEY: key });

/** `eval --batch --no-cache` of the workspace's prompt file, as CLI arguments. */
export const batchEvalArgs = (ws: Workspace): string[] => [
  'eval',
  ws.prompt,
  '--batch',
  '--no-cache',
  '--config',
  ws.config,
  '--runs-dir',
  ws.runs,
];

/** Runs `eval --batch --no-cache` (plus `extra`) in the workspace with the test key. */
export function evalBatch(ws: Workspace, extra: string[] = []): Promise<CliResult> {
  return runCli([...batchEvalArgs(ws), ...extra], { cwd: ws.dir, env: env(), timeoutMs: 60_000 });
}

/** Runs `eval --resume <runFile> --no-cache` in the workspace with the test key. */
export function resumeBatch(ws: Workspace, runFile: string): Promise<CliResult> {
  return runCli(['eval', '--resume', runFile, '--no-cache', '--config', ws.config, '--runs-dir', ws.runs], {
    cwd: ws.dir,
    env: env(),
    timeoutMs: 60_000,
  });
}

export interface BatchSuite {
  readonly standin: Standin;
  /** A workspace (see `workspace`) removed after the suite; the config defaults to `openAiConfig` of the stand-in. */
  workspace(prefix: string, prompt: string, config?: string): Workspace;
}

/**
 * For the current suite: a stand-in whose batches step every `batch.stepMs`, with its counters reset and
 * its Batch API options set back to `batch` before each test, and the suite's workspaces removed after it.
 */
export function batchSuite(batch: BatchOptions): BatchSuite {
  const fixture = standinFixture('cli-batch', { batch: { stepMs: batch.stepMs } });
  const dirs: string[] = [];
  beforeEach(() => {
    fixture.standin.resetStats();
    fixture.standin.batches.resetStats();
    fixture.standin.batches.setOptions(batch);
  });
  after(() => {
    for (const dir of dirs) removeDir(dir);
  });
  return {
    get standin() {
      return fixture.standin;
    },
    workspace(prefix, prompt, config = openAiConfig(fixture.standin.url)) {
      const ws = workspace(prefix, prompt, config);
      dirs.push(ws.dir);
      return ws;
    },
  };
}
