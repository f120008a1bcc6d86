// `kill -9` of `promptlab eval` mid-run, then `promptlab eval --resume`: the run ends complete in
// the same file and no case that had finished is requested again (the stand-in's log proves it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { RunStore } from '../../../src/core';
import { type Standin } from '../../../src/standin/server';
import { writeStandinConfig } from './config';
import {
  completeRunLines,
  echoSuiteText,
  exitSignal,
  runCli,
  STACK_LINE,
  startCli,
  waitForRunLines,
} from '../support/cliHarness';
import { standinFixture } from '../support/standinSetup';

const CASES = 40;

const promptText = (count: number, comment = ''): string =>
  echoSuiteText(count, { name: 'Resumable', evaluators: comment });

function caseLines(file: string): { type: string; caseIndex: number }[] {
  return completeRunLines(file)
    .slice(1)
    .map((l) => JSON.parse(l) as { type: string; caseIndex: number });
}

function requestedInputs(standin: Standin): string[] {
  return standin.requests
    .filter((r) => r.path.endsWith('/chat/completions'))
    .map((r) => String((r.body as { messages: { content: string }[] }).messages.at(-1)?.content ?? ''));
}

void describe('promptlab eval --resume', () => {
  const fixture = standinFixture('cli-resume', { latencyMs: 200 });
  let config: string;
  before(async () => {
    config = writeStandinConfig(fixture.dir, fixture.standin.url);
  });

  void it('completes a run killed with SIGKILL without requesting a finished case again', async () => {
    const promptFile = path.join(fixture.dir, 'resumable.prompt.yml');
    fs.writeFileSync(promptFile, promptText(CASES));
    const runsDir = path.join(fixture.dir, 'runs');
    fixture.standin.resetStats();
    const child = startCli(
      ['eval', promptFile, '--config', config, '--runs-dir', runsDir, '--no-cache', '--concurrency', '2', '--quiet'],
      { cwd: fixture.dir },
    );
    const exited = exitSignal(child);
    const runFile = await waitForRunLines(runsDir, 3);
    assert.ok(runFile && caseLines(runFile).length >= 3, 'three cases finished before the deadline');
    // While the first run is still going, a resume would request its pending cases a second time.
    const early = await runCli(['eval', '--resume', runFile, '--config', config, '--no-cache'], { cwd: fixture.dir });
    assert.equal(early.code, 2, early.stderr);
    assert.match(early.stderr, new RegExp(`is still being written by process ${child.pid ?? 'x'}`));
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');

    const finished = caseLines(runFile).map((c) => c.caseIndex);
    assert.ok(finished.length < CASES, `killed mid-run (${finished.length} of ${CASES})`);
    const finishedInputs = new Set(finished.map((i) => `Answer question ${i + 1}`));
    assert.ok(
      [...finishedInputs].every((input) => requestedInputs(fixture.standin).includes(input)),
      'the finished cases were requested by the first run',
    );

    fixture.standin.resetStats();
    fixture.standin.setOptions({ latencyMs: 0 });
    const runId = path.basename(runFile, '.jsonl');
    const result = await runCli(
      ['eval', '--resume', runId, '--runs-dir', runsDir, '--config', config, '--no-cache', '--json'],
      { cwd: fixture.dir },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`resumed run ${runId}: kept ${finished.length} cases, ran ${CASES - finished.length}`),
    );
    const requested = requestedInputs(fixture.standin);
    assert.equal(requested.length, CASES - finished.length, 'one request per case that had not finished');
    assert.ok(
      requested.every((input) => !finishedInputs.has(input)),
      'no finished case was requested again',
    );

    const out = JSON.parse(result.stdout) as {
      summary: { totalTests: number; passedTests: number };
      promptlab: { runFile: string };
    };
    assert.deepEqual(out.summary.totalTests, CASES);
    assert.deepEqual(out.summary.passedTests, CASES);
    assert.equal(out.promptlab.runFile, runFile, 'the same run file');
    const loaded = await new RunStore(runsDir).load(runFile);
    assert.equal(loaded.finished, true);
    assert.equal(loaded.cases.length, CASES);
    assert.equal(fs.readdirSync(runsDir).length, 1, 'no second run file');
  });

  void it('refuses a file that is not a run, a run of another prompt and an edited prompt, sending nothing', async () => {
    fixture.standin.setOptions({ latencyMs: 0 });
    const promptFile = path.join(fixture.dir, 'owner.prompt.yml');
    fs.writeFileSync(promptFile, promptText(3));
    const runsDir = path.join(fixture.dir, 'runs-bad');
    fixture.standin.setOptions({ failNext: [{ status: 400 }] });
    const first = await runCli(
      ['eval', promptFile, '--config', config, '--runs-dir', runsDir, '--no-cache', '--json'],
      { cwd: fixture.dir },
    );
    assert.equal(first.code, 1, first.stderr);
    const runFile = (JSON.parse(first.stdout) as { promptlab: { runFile: string } }).promptlab.runFile;
    const notARun = path.join(fixture.dir, 'notes.jsonl');
    fs.writeFileSync(notARun, '{"hello": "world"}\n');
    const otherPrompt = path.join(fixture.dir, 'other.prompt.yml');
    fs.writeFileSync(otherPrompt, promptText(3, '# other'));

    const attempts: { args: string[]; message: RegExp; edit?: () => void }[] = [
      { args: ['--resume', notARun], message: /notes\.jsonl:1:1: error: not a PromptLab run file/ },
      { args: ['--resume', path.join(fixture.dir, 'missing.jsonl')], message: /Run not found: .*missing\.jsonl/ },
      { args: ['--resume', runFile, otherPrompt], message: /belongs to another prompt file \(.*owner\.prompt\.yml\)/ },
      { args: ['--resume', runFile, '--model', 'openai/gpt-4o'], message: /was made with model openai\/gpt-4o-mini/ },
      {
        args: ['--resume', runFile],
        message: /owner\.prompt\.yml: error: .*is not the revision run .* was made with/,
        edit: () => fs.appendFileSync(promptFile, '# edited\n'),
      },
    ];
    fixture.standin.resetStats();
    for (const { args, message, edit } of attempts) {
      edit?.();
      const result = await runCli(['eval', ...args, '--config', config, '--runs-dir', runsDir, '--no-cache'], {
        cwd: fixture.dir,
      });
      assert.equal(result.code, 2, `${args.join(' ')}\n${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
      assert.doesNotMatch(result.stderr, STACK_LINE);
    }
    assert.equal(fixture.standin.stats.requests, 0, 'nothing was sent');
    assert.equal((await new RunStore(runsDir).load(runFile)).records.length, 0, 'the run file is untouched');
  });
});
