// `promptlab eval --batch`, `--resume`, `--shard` and `promptlab merge` end to end: the real CLI
// bundle, the real `openai` client, the stand-in's Batch API over real sockets. The stand-in's
// counters prove what was sent: batches created, live chat requests.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { type Standin, startStandin } from '../../../src/standin/server';
import { exitSignal, removeDir, runCli, startCli } from '../support/cliHarness';
import {
  batchSuite,
  env,
  evalBatch,
  loadRun,
  onlyRunFile,
  openAiConfig,
  promptText,
  resumeBatch,
  runFileIfWritten,
  workspace,
  type Workspace,
} from '../support/batchWorkspace';

/** `eval --batch` killed (-9) as soon as its batch line is in the run file; the run file. */
async function submitThenKill(ws: Workspace): Promise<string> {
  const child = startCli(['eval', ws.prompt, '--batch', '--config', ws.config, '--runs-dir', ws.runs, '--quiet'], {
    cwd: ws.dir,
    env: env(),
  });
  const exited = exitSignal(child);
  let runFile = '';
  let submitted = false;
  // Bounded by time, not by a count of polls: a loaded machine makes both the CLI and the polls slow.
  for (const deadline = Date.now() + 60_000; !submitted && Date.now() < deadline;) {
    runFile = runFileIfWritten(ws.runs);
    submitted = runFile !== '' && fs.readFileSync(runFile, 'utf8').includes('"type":"batch"');
    if (!submitted) await delay(5);
  }
  assert.ok(submitted, 'the batch record reached the run file');
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  return runFile;
}

void describe('eval --batch over the stand-in Batch API', () => {
  const suite = batchSuite({ stepMs: 50, expireAfterLines: undefined, outputFault: undefined, truncateDownloads: 0 });

  void it('3,000 cases: killed right after submitting, then --resume answers every case from exactly one batch, with no live request', async () => {
    // A slow batch (2 s per state), so the kill lands while the provider is still working.
    suite.standin.batches.setOptions({ stepMs: 2_000 });
    const ws = suite.workspace('kill', promptText(3000));
    const runFile = await submitThenKill(ws);
    const killed = loadRun(runFile);
    assert.equal(killed.batches.length, 1);
    assert.equal(killed.batches[0]?.customIds.length, 3000);
    assert.equal(killed.batchResults.length, 0, 'killed before the batch ended');
    assert.equal(killed.finished, false);
    assert.equal(suite.standin.batches.stats.batchesCreated, 1);

    const resumed = await runCli(
      ['eval', '--resume', runFile, '--config', ws.config, '--runs-dir', ws.runs, '--json', '--quiet'],
      { cwd: ws.dir, env: env(), timeoutMs: 60_000 },
    );
    assert.equal(resumed.code, 0, resumed.stderr);
    const done = loadRun(runFile);
    assert.equal(done.finished, true);
    assert.equal(done.cases.length, 3000);
    assert.ok(done.cases.every((c) => c.passed && c.samples[0]?.output === `Echo: Answer ${String(c.vars.input)}`));
    assert.equal(suite.standin.batches.stats.batchesCreated, 1, 'exactly one batch was created');
    assert.equal(suite.standin.stats.chatRequests, 0, 'no live chat request');
    assert.equal(suite.standin.batches.stats.linesAnswered, 3000);
    const json = JSON.parse(resumed.stdout) as { summary: { totalTests: number; passedTests: number } };
    assert.equal(json.summary.passedTests, 3000);
    // The replies landed in the response cache as live replies do: a live re-run sends nothing.
    suite.standin.resetStats();
    const live = await runCli(['eval', ws.prompt, '--config', ws.config, '--runs-dir', ws.runs, '--quiet'], {
      cwd: ws.dir,
      env: env(),
      timeoutMs: 60_000,
    });
    assert.equal(live.code, 0, live.stderr);
    assert.equal(suite.standin.stats.chatRequests, 0, 'every live case came from the cache');
  });

  void it('Ctrl+C stops waiting without cancelling the batch, exits 130 and says how to resume', async () => {
    suite.standin.batches.setOptions({ stepMs: 3_000 });
    const ws = suite.workspace('sigint', promptText(3));
    const child = startCli(['eval', ws.prompt, '--batch', '--config', ws.config, '--runs-dir', ws.runs], {
      cwd: ws.dir,
      env: env(),
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    for (const deadline = Date.now() + 60_000; !stderr.includes('(cases): validating') && Date.now() < deadline;)
      await delay(5);
    child.kill('SIGINT');
    assert.equal(await exited, 130);
    assert.match(stderr, /stopped waiting; batch batch_\w+ still runs at the provider/);
    assert.match(stderr, /Resume \(here or on another machine\): promptlab eval --resume runs\/.+\.jsonl/);
    assert.equal(suite.standin.batches.stats.batchesCancelled, 0);
    assert.equal(loadRun(onlyRunFile(ws.runs)).finished, false);
  });

  void it('per-line errors and an expired batch are reported per case; what completed is kept', async () => {
    const ws = suite.workspace('lines', promptText(6, ['  - input: "refused [[status: 400]]"']));
    const failing = await evalBatch(ws);
    assert.equal(failing.code, 1, failing.stderr);
    const run = loadRun(onlyRunFile(ws.runs));
    const refused = run.cases.find((c) => c.caseIndex === 6);
    assert.match(refused?.error ?? '', /the batch request failed \(400\)/);
    assert.equal(run.cases.filter((c) => c.passed).length, 6);

    fs.rmSync(ws.runs, { recursive: true });
    suite.standin.batches.setOptions({ expireAfterLines: 4 });
    const expired = await evalBatch(ws);
    assert.equal(expired.code, 1, expired.stderr);
    assert.match(expired.stderr, /expired 4\/7/);
    const partial = loadRun(onlyRunFile(ws.runs));
    assert.deepEqual(
      partial.cases.filter((c) => c.passed).map((c) => c.caseIndex),
      [0, 1, 2, 3],
    );
    for (const lost of partial.cases.filter((c) => c.caseIndex >= 4))
      assert.match(lost.error ?? '', /expired before this request ran/);
    assert.equal(partial.batchResults[0]?.status, 'expired');
  });

  void it('judge requests that need the replies go in a second batch', async () => {
    const judge = ['  - name: coherent', '    uses: github/coherence'].join('\n');
    const ws = suite.workspace('judge', promptText(5, [], judge));
    const result = await evalBatch(ws);
    assert.equal(result.code, 0, result.stderr);
    const run = loadRun(onlyRunFile(ws.runs));
    assert.deepEqual(
      run.batches.map((b) => [b.stage, b.customIds.length]),
      [
        [0, 5],
        [1, 5],
      ],
    );
    assert.ok(
      run.cases.every((c) => c.samples[0]?.evaluations.find((e) => e.evaluatorName === 'coherent')?.score === 0.75),
    );
    assert.equal(suite.standin.batches.stats.batchesCreated, 2);
    assert.equal(suite.standin.stats.chatRequests, 0);
  });

  void it('bad output files: missing lines and unknown custom_ids are reported, a truncated download is read again', async () => {
    const ws = suite.workspace('faults', promptText(5));
    suite.standin.batches.setOptions({ outputFault: 'missing-lines' });
    const missing = await evalBatch(ws);
    assert.equal(missing.code, 1, missing.stderr);
    const run = loadRun(onlyRunFile(ws.runs));
    assert.equal(run.cases.length, 5, 'every case is reported');
    const lost = run.cases.filter((c) => c.error !== undefined);
    assert.equal(lost.length, 1);
    assert.match(
      lost[0]?.error ?? '',
      /batch batch_\w+ \(completed\) returned no line for this request \(its output and error files hold 4 of the batch's 5 lines\)/,
    );
    assert.match(
      missing.stderr,
      /batch batch_\w+ completed, but its output and error files hold no line for 1 of its 5 requests; those cases are reported as errors/,
    );

    fs.rmSync(ws.runs, { recursive: true });
    suite.standin.batches.setOptions({ outputFault: 'unknown-custom-ids' });
    const strangers = await evalBatch(ws);
    assert.equal(strangers.code, 0, strangers.stderr);
    assert.match(strangers.stderr, /custom_id 'not-from-this-run-1' that this batch never sent was ignored/);

    fs.rmSync(ws.runs, { recursive: true });
    suite.standin.batches.resetStats();
    suite.standin.batches.setOptions({ outputFault: undefined, truncateDownloads: 1 });
    const once = await evalBatch(ws);
    assert.equal(once.code, 0, once.stderr);
    assert.equal(suite.standin.batches.stats.contentDownloads, 2, 'the cut download was read again');

    // Truncated every time: the run stops with a clear error and stays resumable; resume pays nothing again.
    fs.rmSync(ws.runs, { recursive: true });
    suite.standin.batches.resetStats();
    suite.standin.batches.setOptions({ truncateDownloads: 10 });
    const broken = await evalBatch(ws);
    assert.equal(broken.code, 2);
    assert.match(
      broken.stderr,
      /batch file file-\w+: the download broke off before its end \(truncated download: .*\) \(gave up after 3 retries\)/,
    );
    const runFile = onlyRunFile(ws.runs);
    assert.equal(loadRun(runFile).finished, false);
    suite.standin.batches.setOptions({ truncateDownloads: 0 });
    const resumed = await resumeBatch(ws, runFile);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(loadRun(runFile).cases.length, 5);
    assert.equal(suite.standin.batches.stats.batchesCreated, 1, 'no second batch: nothing billed twice');
  });

  void it('--resume of a batch the endpoint does not know (404: another project, or the server lost it) is a clear error; nothing is created', async () => {
    const first = await startStandin({ batch: { stepMs: 5_000 } });
    const ws = suite.workspace('unknown-batch', promptText(3), openAiConfig(first.url));
    const runFile = await submitThenKill(ws);
    // The same origin and key, but a server that has never seen the batch.
    await first.close();
    const second = await startStandin({ port: first.port });
    try {
      const resumed = await runCli(['eval', '--resume', runFile, '--config', ws.config, '--runs-dir', ws.runs], {
        cwd: ws.dir,
        env: env(),
      });
      assert.equal(resumed.code, 2, resumed.stderr);
      assert.match(
        resumed.stderr,
        /batch batch_\w+ is not known at http:\/\/127\.0\.0\.1:\d+ \(404\): it was created at another endpoint or with another key or project/,
      );
      assert.equal(second.batches.stats.batchesCreated, 0, 'nothing created in its place');
      assert.equal(second.batches.stats.filesUploaded, 0);
      assert.equal(second.stats.chatRequests, 0);
      assert.equal(loadRun(runFile).finished, false, 'the run file is left as it was');
    } finally {
      await second.close();
    }
  });

  void it('--resume refuses a batch of another key or another endpoint, and a provider without a Batch API before sending anything', async () => {
    suite.standin.batches.setOptions({ stepMs: 5_000 });
    const ws = suite.workspace('resume-bad', promptText(3));
    const runFile = await submitThenKill(ws);

    const otherKey = await runCli(['eval', '--resume', runFile, '--config', ws.config, '--runs-dir', ws.runs], {
      cwd: ws.dir,
      env: env('sk-someone-else'),
    });
    assert.equal(otherKey.code, 2);
    assert.match(otherKey.stderr, /created with another API key/);

    const elsewhere = await startStandin();
    try {
      fs.writeFileSync(ws.config, openAiConfig(elsewhere.url));
      const otherEndpoint = await runCli(['eval', '--resume', runFile, '--config', ws.config, '--runs-dir', ws.runs], {
        cwd: ws.dir,
        env: env(),
      });
      assert.equal(otherEndpoint.code, 2);
      assert.match(
        otherEndpoint.stderr,
        /batches are at http:\/\/127\.0\.0\.1:\d+, but the configuration now sends 'openai\/gpt-4o-mini' to/,
      );
      assert.equal(elsewhere.stats.requests, 0, 'nothing was sent to the other endpoint');
    } finally {
      await elsewhere.close();
    }

    const custom = [
      'providers:',
      '  local:',
      '    preset: custom',
      `    baseURL: ${suite.standin.url}`,
      'models:',
      '  openai/gpt-4o-mini: local',
      '',
    ].join('\n');
    const ws2 = suite.workspace('nobatch', promptText(2), custom);
    suite.standin.resetStats();
    const noBatch = await runCli(['eval', ws2.prompt, '--batch', '--config', ws2.config, '--runs-dir', ws2.runs], {
      cwd: ws2.dir,
      env: env(),
    });
    assert.equal(noBatch.code, 2);
    assert.match(noBatch.stderr, /has no Batch API; --batch works with providers of preset openai or azure/);
    assert.equal(suite.standin.stats.requests, 0, 'nothing was sent');
    assert.equal(fs.existsSync(ws2.runs), false, 'no run file');
  });

  void it('Azure OpenAI: files and batches under /openai with api-version, lines on /chat/completions to the deployment', async () => {
    const config = [
      'providers:',
      '  az:',
      '    preset: azure',
      `    endpoint: ${suite.standin.origin}`,
      '    apiKeyEnv: PROMPTLAB_BATCH_KEY',
      '    deployment: gpt-4o-mini-batch',
      'models:',
      '  openai/gpt-4o-mini: az',
      '',
    ].join('\n');
    const ws = suite.workspace('azure', promptText(4), config);
    const result = await evalBatch(ws);
    assert.equal(result.code, 0, result.stderr);
    const run = loadRun(onlyRunFile(ws.runs));
    assert.equal(run.batches[0]?.endpoint, '/chat/completions');
    const paths = suite.standin.requests.map((r) => `${r.method} ${r.path}`);
    assert.ok(paths.includes('POST /openai/files') && paths.includes('POST /openai/batches'), paths.join(', '));
    assert.ok(
      suite.standin.requests
        .filter((r) => r.path.startsWith('/openai/'))
        .every((r) => r.query['api-version'] !== undefined),
    );
    assert.equal(run.cases.filter((c) => c.passed).length, 4);
  });
});

void describe('eval --shard and promptlab merge', () => {
  let standin: Standin;
  const dirs: string[] = [];
  before(async () => {
    standin = await startStandin();
  });
  after(async () => {
    await standin.close();
    for (const dir of dirs) removeDir(dir);
  });

  const cases = ['  - input: "[[reply: nope]]"', '  - input: "refused [[status: 400]]"'];

  void it('three --shard i/3 runs merged equal one unsharded run case for case, with the same exit code', async () => {
    const ws = workspace('shards', promptText(40, cases), openAiConfig(standin.url));
    dirs.push(ws.dir);
    const whole = await runCli(
      ['eval', ws.prompt, '--no-cache', '--config', ws.config, '--runs-dir', path.join(ws.dir, 'whole'), '--json'],
      { cwd: ws.dir, env: env() },
    );
    assert.equal(whole.code, 1, whole.stderr);
    const shardFiles: string[] = [];
    const sizes: number[] = [];
    for (const i of [1, 2, 3]) {
      const runs = path.join(ws.dir, `shard${i}`);
      const result = await runCli(
        ['eval', ws.prompt, '--no-cache', '--shard', `${i}/3`, '--config', ws.config, '--runs-dir', runs, '--quiet'],
        { cwd: ws.dir, env: env() },
      );
      assert.ok(result.code === 0 || result.code === 1, result.stderr);
      shardFiles.push(onlyRunFile(runs));
      sizes.push(loadRun(onlyRunFile(runs)).cases.length);
    }
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      42,
    );
    assert.ok(
      sizes.every((n) => n > 0 && n < 42),
      `each shard has part of the suite: ${sizes.join(', ')}`,
    );
    const merged = path.join(ws.dir, 'merged');
    const md = path.join(ws.dir, 'report.md');
    const result = await runCli(['merge', ...shardFiles, '--runs-dir', merged, '--json', '--markdown', md], {
      cwd: ws.dir,
    });
    assert.equal(result.code, whole.code, result.stderr);
    const one = loadRun(onlyRunFile(path.join(ws.dir, 'whole')));
    const all = loadRun(onlyRunFile(merged));
    const view = (run: typeof one) =>
      [...run.cases]
        .sort((a, b) => a.caseIndex - b.caseIndex)
        .map((c) => [c.caseIndex, c.caseKey, c.passed, c.error ?? null, c.samples.map((s) => s.output)]);
    assert.deepEqual(view(all), view(one));
    assert.equal(all.header.caseCount, 42);
    assert.equal(all.header.shard, undefined);
    const mergedJson = JSON.parse(result.stdout) as { summary: unknown };
    const wholeJson = JSON.parse(whole.stdout) as { summary: unknown };
    assert.deepEqual(mergedJson.summary, wholeJson.summary);
    assert.match(fs.readFileSync(md, 'utf8'), /40\/42|40 of 42|40 passed/);

    // The same shard twice, and shards of another revision or file: clear errors, nothing stored.
    const twice = await runCli(['merge', shardFiles[0] as string, shardFiles[0] as string, '--runs-dir', merged], {
      cwd: ws.dir,
    });
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /are both shard 1\/3: the runs overlap/);
    fs.appendFileSync(ws.prompt, '# another revision\n');
    const changedRuns = path.join(ws.dir, 'changed');
    await runCli(
      ['eval', ws.prompt, '--no-cache', '--shard', '3/3', '--config', ws.config, '--runs-dir', changedRuns, '--quiet'],
      { cwd: ws.dir, env: env() },
    );
    const revisions = await runCli(
      ['merge', shardFiles[0] as string, shardFiles[1] as string, onlyRunFile(changedRuns), '--runs-dir', merged],
      { cwd: ws.dir },
    );
    assert.equal(revisions.code, 2);
    assert.match(revisions.stderr, /different revisions of suite\.prompt\.yml/);
    const other = path.join(ws.dir, 'other.prompt.yml');
    fs.writeFileSync(other, promptText(5));
    const otherRuns = path.join(ws.dir, 'other');
    await runCli(
      ['eval', other, '--no-cache', '--shard', '3/3', '--config', ws.config, '--runs-dir', otherRuns, '--quiet'],
      { cwd: ws.dir, env: env() },
    );
    const files = await runCli(['merge', shardFiles[0] as string, onlyRunFile(otherRuns), '--runs-dir', merged], {
      cwd: ws.dir,
    });
    assert.equal(files.code, 2);
    assert.match(files.stderr, /only shards of one prompt file merge/);
    assert.equal(fs.readdirSync(merged).length, 1, 'failed merges stored nothing');
  });

  void it('a case keeps its shard whatever the order of the file', async () => {
    const forward = promptText(30);
    const lines = forward.split('\n');
    const start = lines.indexOf('testData:') + 1;
    const reversed = [
      ...lines.slice(0, start),
      ...lines.slice(start, start + 30).reverse(),
      ...lines.slice(start + 30),
    ].join('\n');
    const keysOf = async (text: string, name: string): Promise<string[]> => {
      const ws = workspace(name, text, openAiConfig(standin.url));
      dirs.push(ws.dir);
      const result = await runCli(
        ['eval', ws.prompt, '--no-cache', '--shard', '2/3', '--config', ws.config, '--runs-dir', ws.runs, '--quiet'],
        { cwd: ws.dir, env: env() },
      );
      assert.equal(result.code, 0, result.stderr);
      return loadRun(onlyRunFile(ws.runs))
        .cases.map((c) => c.caseKey)
        .sort();
    };
    assert.deepEqual(await keysOf(reversed, 'rev'), await keysOf(forward, 'fwd'));
  });
});
