// `promptlab agreement` end to end: `eval` of a 28-case file against the stand-in over a real
// socket, then `agreement` with a grades CSV (and with stored grades), against figures worked
// out by hand.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { GradeStore, gradePromptOf, outputHash, RunStore } from '../../../src/core';
import { writeStandinConfig } from './config';
import { removeDir, runCli, tempDir } from '../support/cliHarness';
import { standinFixture } from '../support/standinSetup';

const CASES = 28;
// The evaluator (`contains "yes"`) passes cases 1–16 and fails 17–28 (the stand-in replies with
// each case's `answer`). The person passes 1–14 and 17–19 and fails the rest, so:
//   both pass 1–14 = 14, person fail / evaluator pass 15–16 = 2,
//   person pass / evaluator fail 17–19 = 3, both fail 20–28 = 9.
// p_o = 23/28; person pass 17/28, evaluator pass 16/28: p_e = (17·16 + 11·12)/28² = 404/784;
// κ = (644 - 404)/(784 - 404) = 240/380 = 12/19.
const evaluatorPasses = (n: number): boolean => n <= 16;
const personPasses = (n: number): boolean => n <= 14 || (n >= 17 && n <= 19);
const KAPPA = 12 / 19;
const AGREEMENT = 23 / 28;

function promptFileText(): string {
  const cases = Array.from({ length: CASES }, (_, i) => {
    const n = i + 1;
    return `  - id: "${n}"\n    answer: "${evaluatorPasses(n) ? 'yes' : 'no'}, reply number ${n}"`;
  });
  return [
    'name: Agreement check',
    'model: openai/gpt-4o-mini',
    'messages:',
    '  - role: user',
    "    content: 'Case {{id}} [[reply: {{answer}}]]'",
    'testData:',
    ...cases,
    'evaluators:',
    '  - name: says yes',
    '    string:',
    '      contains: "yes"',
    '',
  ].join('\n');
}

type Json = Record<string, unknown>;

void describe('promptlab agreement (CLI over a real socket)', () => {
  const fixture = standinFixture('cli-agreement');
  let config: string;
  let runId: string;
  before(async () => {
    config = writeStandinConfig(fixture.dir, fixture.standin.url);
    fs.writeFileSync(path.join(fixture.dir, 'check.prompt.yml'), promptFileText());
    const result = await runCli(['eval', 'check.prompt.yml', '--json', '--config', config], { cwd: fixture.dir });
    assert.equal(result.code, 1, result.stderr);
    const json = JSON.parse(result.stdout) as { promptlab: { runId: string }; summary: { passedTests: number } };
    assert.equal(json.summary.passedTests, 16);
    runId = json.promptlab.runId;
    assert.equal(fixture.standin.stats.chatRequests, CASES);
  });

  void it('a grades CSV gives the hand-computed κ and agreement; bad rows are named and skipped', async () => {
    const rows = Array.from(
      { length: CASES },
      (_, i) =>
        `${i + 1},${personPasses(i + 1) ? 'pass' : 'fail'}${i === 14 ? ',"says yes, but to the wrong question"' : ''}`,
    );
    const csv = ['case,grade,note', ...rows, '40,pass', '3,fail', '7,perhaps', '"12,pass', ''].join('\n');
    fs.writeFileSync(path.join(fixture.dir, 'grades.csv'), csv);

    const json = await runCli(['agreement', runId, '--grades', 'grades.csv', '--json'], { cwd: fixture.dir });
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as { evaluators: Json[]; intervalMethod: string; warnings: string[] };
    assert.equal(report.evaluators.length, 1);
    const e = report.evaluators[0] as Json;
    for (const key of ['name', 'n', 'agreement', 'kappa', 'kappaInterval', 'confusion', 'disagreements'])
      assert.ok(key in e, `evaluator has ${key}`);
    assert.equal(e.name, 'says yes');
    assert.equal(e.n, CASES);
    assert.ok(Math.abs((e.agreement as number) - AGREEMENT) < 1e-12, `agreement ${String(e.agreement)}`);
    assert.ok(Math.abs((e.kappa as number) - KAPPA) < 1e-12, `kappa ${String(e.kappa)}`);
    const [low, high] = e.kappaInterval as [number, number];
    assert.ok(low < KAPPA && KAPPA < high && low > 0 && high < 1, `interval ${low}..${high}`);
    assert.deepEqual(e.confusion, { bothPass: 14, bothFail: 9, humanPassEvaluatorFail: 3, humanFailEvaluatorPass: 2 });
    const disagreements = e.disagreements as { case: number; human: string; evaluator: string; note?: string }[];
    assert.deepEqual(
      disagreements.map((d) => d.case),
      [15, 16, 17, 18, 19],
    );
    assert.equal(disagreements[0]?.note, 'says yes, but to the wrong question');
    assert.match(report.intervalMethod, /^analytic/);
    assert.deepEqual(report.warnings, [
      'grades.csv:30: case 40 is not in this run (it has 28 cases), row ignored',
      'grades.csv:31: case 3 is graded twice (first on line 4); this row ignored',
      "grades.csv:32: grade 'perhaps' is neither pass, fail nor a score from 1 to 5; row ignored",
      'grades.csv:33: unreadable CSV line (Quote Not Closed: the parsing is finished with an opening quote), ignored',
    ]);

    const text = await runCli(['agreement', runId, '--grades', 'grades.csv'], { cwd: fixture.dir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /says yes {2}n 28 {2}agreement 82 % {2}κ 0\.63 \[0\.\d\d, 0\.\d\d\]/);
    assert.match(text.stdout, /κ = 0\.63 \(substantial\), 82 % agreement on 28 graded cases; few grades/);
    assert.match(
      text.stdout,
      /case 15: person fail, evaluator pass \(score 1\.00\) — says yes, but to the wrong question/,
    );
    assert.match(text.stderr, /warning: grades\.csv:30: case 40 is not in this run/);
  });

  void it('stored grades follow the outputs: the same figures without --grades', async () => {
    const run = await new RunStore(path.join(fixture.dir, '.promptlab', 'runs')).load(runId);
    const store = new GradeStore(GradeStore.defaultFile(fixture.dir));
    for (const result of run.cases) {
      const n = result.caseIndex + 1;
      const output = result.samples[0]?.output ?? '';
      await store.set({
        prompt: gradePromptOf(run.header),
        caseKey: result.caseKey,
        outputHash: outputHash(output),
        verdict: personPasses(n) ? 'pass' : 'fail',
        at: new Date().toISOString(),
      });
    }
    // A second run of the same file: every reply comes out the same, so every grade applies.
    const again = await runCli(['eval', 'check.prompt.yml', '--json', '--config', config, '--no-cache'], {
      cwd: fixture.dir,
    });
    const secondRun = (JSON.parse(again.stdout) as { promptlab: { runId: string } }).promptlab.runId;
    assert.notEqual(secondRun, runId);
    const result = await runCli(['agreement', secondRun, '--json'], { cwd: fixture.dir });
    assert.equal(result.code, 0, result.stderr);
    const e = (JSON.parse(result.stdout) as { evaluators: Json[] }).evaluators[0] as Json;
    assert.equal(e.n, CASES);
    assert.ok(Math.abs((e.kappa as number) - KAPPA) < 1e-12);
  });

  void it('no graded case: a clear message and exit 2; a missing grades file is named', async () => {
    const other = tempDir('agreement-none');
    try {
      fs.mkdirSync(path.join(other, '.promptlab'), { recursive: true });
      fs.cpSync(path.join(fixture.dir, '.promptlab', 'runs'), path.join(other, '.promptlab', 'runs'), {
        recursive: true,
      });
      const none = await runCli(['agreement', runId], { cwd: other });
      assert.equal(none.code, 2);
      assert.match(
        none.stderr,
        /error: no graded cases: \.promptlab\/grades\.jsonl grades none of the outputs of run /,
      );
      assert.equal(none.stdout, '');
      const missing = await runCli(['agreement', runId, '--grades', 'nope.csv'], { cwd: other });
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /nope\.csv: error: cannot read the grades file: no such file/);
      const badRun = await runCli(['agreement', 'no-such-run'], { cwd: other });
      assert.equal(badRun.code, 2);
      assert.match(badRun.stderr, /Run not found/);
    } finally {
      removeDir(other);
    }
  });
});
