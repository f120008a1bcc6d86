// `promptlab compare` and `promptlab eval --baseline` through the real bundle (dist/cli.js), with run
// files written by the real RunStore and, for --baseline, a real git repository and the stand-in.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { RunStore } from '../../../src/core/store/runStore';
import { summarize } from '../../../src/core/run/summary';
import type { CaseResult, RunHeader } from '../../../src/core/run/types';
import { childEnv, runCli, STACK_LINE } from '../support/cliHarness';
import { kase, header } from '../support/runBuilders';
import { makeRepo, tempDir } from '../support/gitRepo';
import { standinFixture } from '../support/standinSetup';

function storeRun(store: RunStore, runId: string, cases: CaseResult[], overrides: Partial<RunHeader> = {}): string {
  const writer = store.create(header({ runId, caseCount: cases.length, ...overrides }));
  for (const c of cases) writer.appendCase(c);
  writer.finish(summarize(cases, 10), false);
  return writer.file;
}

void describe('promptlab compare', () => {
  const dir = tempDir('promptlab-cli-compare-');
  const store = new RunStore(path.join(dir, '.promptlab', 'runs'));
  const fileA = storeRun(store, 'run-a', [
    kase(0, 'k1', [true], 'the cat sat'),
    kase(1, 'k2', [true]),
    kase(2, 'k3', [false]),
  ]);
  storeRun(store, 'run-b', [kase(0, 'k1', [false], 'the dog sat'), kase(1, 'k2', [true]), kase(2, 'k3', [true])], {
    model: 'openai/gpt-4o-mini',
  });
  storeRun(store, 'run-c', [kase(0, 'k1', [true]), kase(1, 'k2', [true]), kase(2, 'k3', [true])], {
    model: 'openai/o3',
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  void it('prints the summary, regressions first, and exits 1 on a regression', async () => {
    const r = await runCli(['compare', 'run-a', 'run-b'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^A: openai\/gpt-4o {2}\(run-a, 3 cases\)$/m);
    assert.match(r.stdout, /pass rate\s+66\.7%\s+66\.7%\s+0\.0 pp/);
    // One sample per case: the counts make no per-case noise claim.
    assert.match(r.stdout, /^1 regression\(s\), 1 improvement\(s\), 1 unchanged$/m);
    assert.ok(r.stdout.indexOf('✗ case 1') < r.stdout.indexOf('✓ case 3'));
    assert.match(r.stdout, /A: the cat sat\n\s+B: the dog sat/);
    assert.match(
      r.stdout,
      /^verdict: within-noise — B is worse on 1 and better on 1 of 3 cases: no clear difference \(p = 1\.00\)\.$/m,
    );
    assert.match(r.stdout, /^test: Within noise at α=0\.05: exact McNemar p=1\.000/m);
    assert.match(r.stdout, /^prompt changes:\n {2}model: openai\/gpt-4o → openai\/gpt-4o-mini$/m);
  });

  void it('--fail-on none exits 0; run files work as well as ids', async () => {
    const r = await runCli(['compare', fileA, 'run-b', '--fail-on', 'none'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
  });

  void it('--json prints the comparison object', async () => {
    const r = await runCli(['compare', 'run-a', 'run-b', '--json'], { cwd: dir });
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout) as {
      counts: { regressions: number };
      rows: { caseKey: string; diff?: { segments: { op: string; text: string }[] } }[];
    };
    assert.equal(json.counts.regressions, 1);
    assert.equal(json.rows[0]?.caseKey, 'k1');
    assert.deepEqual(
      json.rows[0]?.diff?.segments.map((s) => s.op),
      ['equal', 'delete', 'insert', 'equal'],
    );
  });

  void it('--markdown prints a table, or writes it to a file', async () => {
    const printed = await runCli(['compare', 'run-a', 'run-b', '--markdown', '--fail-on=any'], { cwd: dir });
    assert.equal(printed.code, 1);
    assert.match(printed.stdout, /^### PromptLab comparison: openai\\\/gpt\\-4o → openai\\\/gpt\\-4o\\-mini/m);
    assert.match(printed.stdout, /\| pass rate \| 66\.7% \| 66\.7% \| 0\.0 pp \|/);
    const written = await runCli(['compare', 'run-a', 'run-b', '--markdown', 'out/report.md'], { cwd: dir });
    assert.equal(written.code, 1);
    assert.match(fs.readFileSync(path.join(dir, 'out/report.md'), 'utf8'), /\| case 1 \| regression \|/);
    assert.match(written.stdout, /^A: /m);
  });

  void it('three runs give a matrix', async () => {
    const r = await runCli(['compare', 'run-a', 'run-b', 'run-c'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\[3\] openai\/o3: pass 100%/);
    assert.match(r.stdout, /case 1\s+pass\s+FAIL\s+pass\s+← disagree/);
  });

  void it('bad input: a missing run, a bad flag value, too few runs — clear messages, exit 2, no stack', async () => {
    const missing = await runCli(['compare', 'run-a', 'nope'], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /error: No run 'nope' \(looked in \.promptlab\/runs\)/);
    assert.doesNotMatch(missing.stderr, STACK_LINE);
    const alpha = await runCli(['compare', 'run-a', 'run-b', '--alpha', '2'], { cwd: dir });
    assert.equal(alpha.code, 2);
    assert.match(alpha.stderr, /--alpha must be a number between 0 and 1, got '2'/);
    const one = await runCli(['compare', 'run-a'], { cwd: dir });
    assert.equal(one.code, 2);
    assert.match(one.stderr, /compare needs at least two runs, got 1/);
    const failOn = await runCli(['compare', 'run-a', 'run-b', '--fail-on', 'sometimes'], { cwd: dir });
    assert.match(failOn.stderr, /--fail-on must be one of regressions, any, none/);
  });

  void it('warns when the runs are of different prompt files but still compares', async () => {
    storeRun(store, 'run-other', [kase(0, 'k1', [true])], {
      promptFile: '/ws/other.prompt.yml',
      promptFileRelative: 'other.prompt.yml',
    });
    const r = await runCli(['compare', 'run-a', 'run-other'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /warning: The runs are of different prompt files \(summarize\.prompt\.yml vs other\.prompt\.yml\)/,
    );
    assert.match(r.stdout, /only in A: case 2, case 3/);
  });
});

void describe('promptlab eval --baseline', () => {
  const fixture = standinFixture('cli-compare', { latencyMs: 0 });

  const yaml = (instruction: string): string => `name: Greeter
model: openai/gpt-4o
messages:
  - role: user
    content: '${instruction} {{name}}'
testData:
  - name: Ann
  - name: Bob
evaluators:
  - name: says hello
    string:
      contains: Hello
`;

  void it('runs the file at the revision and the working copy, compares, exits 1 on regressions', async () => {
    const repo = makeRepo();
    try {
      repo.write(
        'promptlab.config.yaml',
        `providers:\n  standin:\n    baseURL: ${fixture.standin.url}\nmodels:\n  openai/gpt-4o: standin\n`,
      );
      repo.write('greeter.prompt.yml', yaml('Say Hello to'));
      repo.commit('v1');
      repo.write('greeter.prompt.yml', yaml('Say Bye to'));
      const r = await runCli(['eval', '--baseline', 'HEAD', 'greeter.prompt.yml', '--quiet'], {
        cwd: repo.root,
        env: childEnv(),
      });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^A: HEAD \([0-9a-f]+\)/m);
      assert.match(r.stdout, /^B: working copy/m);
      assert.match(r.stdout, /^2 regression\(s\), 0 improvement\(s\)/m);
      // The prompt's own change is named: the recorded messages differ.
      assert.match(r.stdout, /^prompt changes:\n(?: {2}.*\n)* {2}message \d+ \(\w+\): changed$/m);
      assert.equal(fs.readdirSync(path.join(repo.root, '.promptlab', 'runs')).length, 2);
      // Unchanged prompt: exit 0.
      repo.write('greeter.prompt.yml', yaml('Say Hello to'));
      const same = await runCli(['eval', '--baseline=HEAD', 'greeter.prompt.yml', '--json'], {
        cwd: repo.root,
        env: childEnv(),
      });
      assert.equal(same.code, 0, same.stderr);
      assert.equal((JSON.parse(same.stdout) as { counts: { unchanged: number } }).counts.unchanged, 2);
    } finally {
      repo.remove();
    }
  });

  void it('explains an untracked file and a folder that is not a repository', async () => {
    const repo = makeRepo();
    const loose = tempDir('promptlab-cli-norepo-');
    try {
      repo.write(
        'promptlab.config.yaml',
        `providers:\n  standin:\n    baseURL: ${fixture.standin.url}\nmodels:\n  openai/gpt-4o: standin\n`,
      );
      repo.commit('config');
      repo.write('new.prompt.yml', yaml('Say Hello to'));
      const untracked = await runCli(['eval', '--baseline', 'HEAD', 'new.prompt.yml'], {
        cwd: repo.root,
        env: childEnv(),
      });
      assert.equal(untracked.code, 2);
      assert.match(untracked.stderr, /new\.prompt\.yml: error: new\.prompt\.yml is not tracked by git yet/);
      assert.match(untracked.stderr, /hint: Commit it first/);
      fs.writeFileSync(
        path.join(loose, 'promptlab.config.yaml'),
        `providers:\n  standin:\n    baseURL: ${fixture.standin.url}\n`,
      );
      fs.writeFileSync(path.join(loose, 'g.prompt.yml'), yaml('Say Hello to'));
      const noRepo = await runCli(['eval', '--baseline', 'HEAD', 'g.prompt.yml'], { cwd: loose, env: childEnv() });
      assert.equal(noRepo.code, 2);
      assert.match(noRepo.stderr, /is not inside a git repository/);
      assert.doesNotMatch(noRepo.stderr + untracked.stderr, STACK_LINE);
      repo.commit('add new');
      const badRev = await runCli(['eval', '--baseline', 'v9.9', 'new.prompt.yml'], {
        cwd: repo.root,
        env: childEnv(),
      });
      assert.equal(badRev.code, 2);
      assert.match(badRev.stderr, /error: Unknown git revision 'v9\.9'/);
    } finally {
      repo.remove();
      fs.rmSync(loose, { recursive: true, force: true });
    }
  });
});
