// What the batch CLI tests share: a prompt file of N cases, a config that routes the models to an
// `openai`-preset provider at the stand-in, a workspace directory, and reading the run file back.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseRunText } from '../../../src/core';
import { childEnv, tempDir } from './cliHarness';

export const KEY = 'sk-batch-test-key';

export function promptText(count: number, extraCases: string[] = [], evaluators = ''): string {
  const cases = Array.from({ length: count }, (_, i) => `  - input: "question ${i + 1}"`);
  return [
    'name: Batch suite',
    'model: openai/gpt-4o-mini',
    'messages:',
    '  - role: user',
    '    content: "Answer {{input}}"',
    'testData:',
    ...cases,
    ...extraCases,
    'evaluators:',
    '  - name: echoes',
    '    string:',
    "      contains: '{{input}}'",
    evaluators,
    '',
  ].join('\n');
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
