// The Batch API's own calls (upload, create, poll, list, download) under 429s, 5xx answers and
// dropped connections injected by the stand-in, through the real CLI and `openai` client over
// real sockets. They go through the endpoint's scheduler like live requests; the stand-in's
// counters prove that a retried `batches.create` never makes a second batch and that every case is
// answered from the one batch, with no live request.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { type BatchFault } from '../../../src/standin/batch';
import { exitSignal, startCli } from '../support/cliHarness';
import {
  batchEvalArgs,
  batchSuite,
  env,
  evalBatch,
  loadRun,
  onlyRunFile,
  promptText,
  resumeBatch,
  type Workspace,
} from '../support/batchWorkspace';

const CASES = 12;

void describe('Batch API calls through the endpoint scheduler', () => {
  const suite = batchSuite({ stepMs: 40, faults: [] });

  const fresh = (name: string): Workspace => suite.workspace(name, promptText(CASES));
  /** Every case answered by the one batch, none live. */
  const assertAllAnsweredOnce = (runFile: string): void => {
    const run = loadRun(runFile);
    assert.equal(run.finished, true);
    assert.equal(run.cases.length, CASES);
    assert.ok(
      run.cases.every((c) => c.passed && c.samples[0]?.output === `Echo: Answer ${String(c.vars.input)}`),
      JSON.stringify(run.cases.find((c) => !c.passed)),
    );
    assert.equal(run.batches.length, 1, 'one batch line in the run file');
    assert.equal(suite.standin.batches.stats.batchesCreated, 1, 'exactly one batch was created');
    assert.equal(suite.standin.stats.chatRequests, 0, 'no live chat request');
  };

  void it('429s, 5xx answers and dropped connections on upload, create, poll and download are retried: one batch, every case answered', async () => {
    const faults: BatchFault[] = [
      { route: 'upload', fault: 429 },
      { route: 'upload', fault: 'drop' },
      { route: 'create', fault: 429, retryAfterMs: 80 },
      { route: 'retrieve', fault: 500 },
      { route: 'retrieve', fault: 'drop' },
      { route: 'retrieve', fault: 429 },
      { route: 'file', fault: 503 },
      { route: 'content', fault: 'drop' },
      { route: 'content', fault: 502 },
    ];
    suite.standin.batches.setOptions({ faults });
    const ws = fresh('faults');
    const result = await evalBatch(ws);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(suite.standin.batches.stats.faultsInjected, faults.length, 'every injected fault was met');
    assert.equal(suite.standin.batches.stats.filesUploaded, 1, 'the failed uploads stored nothing');
    assert.equal(suite.standin.batches.stats.listRequests, 0, 'a 429 on create is known not to have made a batch');
    assertAllAnsweredOnce(onlyRunFile(ws.runs));
  });

  for (const lost of [
    { name: 'a 500 after the batch was made', fault: { route: 'create', fault: 500, afterCommit: true }, found: true },
    {
      name: 'a connection dropped after the batch was made',
      fault: { route: 'create', fault: 'drop', afterCommit: true },
      found: true,
    },
    { name: 'a connection dropped before the batch was made', fault: { route: 'create', fault: 'drop' }, found: false },
  ] satisfies { name: string; fault: BatchFault; found: boolean }[]) {
    void it(`a create that lost its answer (${lost.name}) looks for its batch before creating again: one batch`, async () => {
      suite.standin.batches.setOptions({ faults: [lost.fault] });
      const ws = fresh('lost-create');
      const result = await evalBatch(ws);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(suite.standin.batches.stats.faultsInjected, 1);
      assert.ok(suite.standin.batches.stats.listRequests >= 1, 'the batches were listed before a second create');
      const creates = suite.standin.requests.filter((r) => r.method === 'POST' && r.path === '/v1/batches').length;
      assert.equal(creates, lost.found ? 1 : 2, 'a second create only when the first made nothing');
      assertAllAnsweredOnce(onlyRunFile(ws.runs));
      const run = loadRun(onlyRunFile(ws.runs));
      assert.equal(run.batchSubmits.length, 1, 'the input file was recorded before the create');
      assert.equal(run.batchSubmits[0]?.inputFileId, run.batches[0]?.inputFileId);
    });
  }

  void it('a create whose outcome stays unknown stops the run with a clear error; --resume finds the batch instead of making another', async () => {
    // The batch is made but its answer fails, and listing fails past the retry limit (3).
    suite.standin.batches.setOptions({
      faults: [
        { route: 'create', fault: 500, afterCommit: true },
        ...Array.from({ length: 4 }, (): BatchFault => ({ route: 'list', fault: 500 })),
      ],
    });
    const ws = fresh('unknown-create');
    const failed = await evalBatch(ws);
    assert.equal(failed.code, 2, failed.stderr);
    assert.match(
      failed.stderr,
      /failed with 500: .*\(gave up after 3 retries\); the provider may have made the batch of input file file-\w+ all the same: resume the run \(promptlab eval --resume\), which looks for it before creating one/,
    );
    const runFile = onlyRunFile(ws.runs);
    const open = loadRun(runFile);
    assert.equal(open.finished, false);
    assert.equal(open.batchSubmits.length, 1, 'the upload is on disk');
    assert.equal(open.batches.length, 0, 'no batch line: the create was never answered');
    assert.equal(suite.standin.batches.stats.batchesCreated, 1);

    const resumed = await resumeBatch(ws, runFile);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(
      resumed.stderr,
      /batch batch_\w+ of input file file-\w+ was found at the provider and is used \(no second batch\)/,
    );
    assert.equal(suite.standin.batches.stats.filesUploaded, 1, 'nothing uploaded again');
    assertAllAnsweredOnce(runFile);
  });

  for (const moment of [
    {
      name: 'before the provider took the create (a 429 with a long retry-after)',
      faults: [{ route: 'create', fault: 429, retryAfterMs: 20_000 }],
      made: 0,
    },
    {
      name: 'after the batch was made but its answer was lost (a 500, then a slow list)',
      faults: [
        { route: 'create', fault: 500, afterCommit: true },
        { route: 'list', fault: 429, retryAfterMs: 20_000 },
      ],
      made: 1,
    },
  ] satisfies { name: string; faults: BatchFault[]; made: number }[]) {
    void it(`killed (-9) between recording the upload and the create's answer, ${moment.name}: --resume ends with one batch`, async () => {
      suite.standin.batches.setOptions({ faults: moment.faults });
      const ws = fresh('kill-submit');
      const child = startCli(batchEvalArgs(ws), { cwd: ws.dir, env: env() });
      const exited = exitSignal(child);
      // The CLI sits in the scheduler's wait once every fault was met.
      const metAll = (): boolean => suite.standin.batches.stats.faultsInjected >= moment.faults.length;
      for (const deadline = Date.now() + 60_000; !metAll() && Date.now() < deadline;) await delay(5);
      assert.equal(suite.standin.batches.stats.faultsInjected, moment.faults.length);
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');
      const runFile = onlyRunFile(ws.runs);
      const killed = loadRun(runFile);
      assert.equal(killed.batchSubmits.length, 1, 'the upload was on disk before the create');
      assert.equal(killed.batches.length, 0);
      assert.equal(suite.standin.batches.stats.batchesCreated, moment.made);

      const resumed = await resumeBatch(ws, runFile);
      assert.equal(resumed.code, 0, resumed.stderr);
      if (moment.made === 1) assert.match(resumed.stderr, /was found at the provider and is used \(no second batch\)/);
      assert.equal(suite.standin.batches.stats.filesUploaded, 1, 'nothing uploaded again');
      assertAllAnsweredOnce(runFile);
    });
  }

  void it('a 429 on polling waits as long as retry-after asks, within --max-wait: beyond it the run stops, resumable', async () => {
    suite.standin.batches.setOptions({ faults: [{ route: 'retrieve', fault: 429, retryAfterMs: 30_000 }] });
    const ws = fresh('budget');
    const started = Date.now();
    const refused = await evalBatch(ws, ['--max-wait', '2s']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      /rate limiting requests \(429\).*asked to wait 30 s, longer than the 2 s .*--max-wait/,
    );
    assert.ok(Date.now() - started < 20_000, 'it did not sit out the 30 s');
    const runFile = onlyRunFile(ws.runs);
    assert.equal(loadRun(runFile).finished, false);

    suite.standin.batches.setOptions({ faults: [{ route: 'retrieve', fault: 429, retryAfterMs: 400 }] });
    const resumed = await resumeBatch(ws, runFile);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(suite.standin.batches.stats.faultsInjected, 2);
    assertAllAnsweredOnce(runFile);
  });

  void it('a download that ends early at a line boundary is caught by the file size and read again', async () => {
    suite.standin.batches.setOptions({ faults: [{ route: 'content', fault: 'short' }] });
    const ws = fresh('short');
    const result = await evalBatch(ws);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(suite.standin.batches.stats.contentDownloads, 2, 'the short download was read again');
    assertAllAnsweredOnce(onlyRunFile(ws.runs));

    // Short every time: a clear error, the run stays open, and its resume pays nothing again.
    fs.rmSync(ws.runs, { recursive: true });
    suite.standin.batches.resetStats();
    suite.standin.resetStats();
    suite.standin.batches.setOptions({
      faults: Array.from({ length: 4 }, (): BatchFault => ({ route: 'content', fault: 'short' })),
    });
    const broken = await evalBatch(ws);
    assert.equal(broken.code, 2, broken.stderr);
    assert.match(
      broken.stderr,
      /batch file file-\w+: downloaded \d+ of its \d+ bytes \(truncated download\) \(gave up after 3 retries\)/,
    );
    const runFile = onlyRunFile(ws.runs);
    assert.equal(loadRun(runFile).finished, false);
    const resumed = await resumeBatch(ws, runFile);
    assert.equal(resumed.code, 0, resumed.stderr);
    assertAllAnsweredOnce(runFile);
  });
});
