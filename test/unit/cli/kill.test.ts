// `kill -9` of `promptlab eval` mid-run: the run file must load and hold every case that
// finished before the kill, each one complete.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { RunStore } from '../../../src/core';
import { writeStandinConfig } from './config';
import { completeRunLines, echoSuiteText, exitSignal, startCli, waitForRunLines } from '../support/cliHarness';
import { standinFixture } from '../support/standinSetup';

const CASES = 40;

const promptWithCases = (count: number): string => echoSuiteText(count, { name: 'Slow run' });

void describe('promptlab eval killed with SIGKILL', () => {
  // Latency keeps the run going long enough to be killed in the middle.
  const fixture = standinFixture('cli-kill', { latencyMs: 150 });

  void it('leaves a run file that loads and holds every finished case, each complete', async () => {
    const config = writeStandinConfig(fixture.dir, fixture.standin.url);
    const promptFile = path.join(fixture.dir, 'slow.prompt.yml');
    fs.writeFileSync(promptFile, promptWithCases(CASES));
    const runsDir = path.join(fixture.dir, 'runs');
    const child = startCli(
      ['eval', promptFile, '--config', config, '--runs-dir', runsDir, '--no-cache', '--concurrency', '2', '--quiet'],
      { cwd: fixture.dir },
    );
    const exited = exitSignal(child);

    // Wait until the run file holds the header and ≥ 2 case lines.
    const runFile = await waitForRunLines(runsDir, 2);
    assert.ok(runFile, 'the run file appeared');
    assert.ok(completeRunLines(runFile).length >= 3, 'two cases were written before the deadline');
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');

    const lines = completeRunLines(runFile);
    const caseLines = lines.slice(1).map((l) => JSON.parse(l) as { type: string; caseIndex: number });
    assert.ok(
      caseLines.length >= 2 && caseLines.length < CASES,
      `killed mid-run (${caseLines.length} of ${CASES} cases written)`,
    );
    assert.ok(
      caseLines.every((c) => c.type === 'case'),
      'no summary line: the run never finished',
    );

    const loaded = await new RunStore(runsDir).load(runFile);
    assert.equal(loaded.finished, false);
    assert.equal(loaded.cases.length, caseLines.length, 'every written case loads');
    assert.deepEqual(
      loaded.cases.map((c) => c.caseIndex).sort((a, b) => a - b),
      caseLines.map((c) => c.caseIndex).sort((a, b) => a - b),
    );
    for (const result of loaded.cases) {
      assert.equal(result.samples.length, 1, `case ${result.caseIndex + 1} has its sample`);
      const sample = result.samples[0];
      assert.ok(sample);
      assert.equal(sample.output, `Echo: Answer question ${result.caseIndex + 1}`);
      assert.equal(sample.evaluations.length, 1);
      assert.equal(result.passed, true);
      assert.equal(typeof result.caseKey, 'string');
    }
    assert.equal(loaded.header.caseCount, CASES);
  });

  void it('on Ctrl+C (SIGINT) prints the finished cases, marks the run cancelled and exits 130', async () => {
    const config = writeStandinConfig(fixture.dir, fixture.standin.url);
    const promptFile = path.join(fixture.dir, 'interrupted.prompt.yml');
    fs.writeFileSync(promptFile, promptWithCases(CASES));
    const runsDir = path.join(fixture.dir, 'runs-sigint');
    const child = startCli(
      ['eval', promptFile, '--config', config, '--runs-dir', runsDir, '--no-cache', '--concurrency', '2', '--json'],
      { cwd: fixture.dir },
    );
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    let written = 0;
    for (let attempt = 0; attempt < 3000 && Date.now() < deadline && written < 2; attempt++) {
      const names = fs.existsSync(runsDir) ? fs.readdirSync(runsDir).filter((n) => n.endsWith('.jsonl')) : [];
      written = names[0] ? completeRunLines(path.join(runsDir, names[0])).length - 1 : 0;
      if (written < 2) await delay(10);
    }
    assert.ok(written >= 2, 'two cases finished before the interrupt');
    child.kill('SIGINT');
    assert.equal(await exited, 130);
    const out = JSON.parse(stdout) as {
      summary: { totalTests: number };
      promptlab: { cancelled: boolean; runFile: string };
    };
    assert.equal(out.promptlab.cancelled, true);
    assert.ok(
      out.summary.totalTests >= 2 && out.summary.totalTests < CASES,
      `${out.summary.totalTests} finished cases reported`,
    );
    const loaded = await new RunStore(runsDir).load(out.promptlab.runFile);
    assert.equal(loaded.finished, true, 'the run file ends with its summary line');
    assert.equal(loaded.cases.length, out.summary.totalTests);
  });
});
