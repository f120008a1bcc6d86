// The batch runner through the engine (runPrompt with `batch`), over the stand-in's Batch API:
// splitting at the provider's line limit, a cancelled batch, embedding requests in a batch of
// their own, the batch price, detaching on the signal and resuming.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import {
  createResolver,
  resumeBatchRun,
  RunStore,
  runPrompt,
  type ProviderConfig,
  type RunEvent,
} from '../../../../src/core';
import { unbatchedSubmissions } from '../../../../src/core/run/batchRunner';
import type { BatchSubmitRecord } from '../../../../src/core/run/types';
import { startStandin, type Standin } from '../../../../src/standin/server';
import { casesYaml, promptFrom } from '../../support/standinSetup';

const KEY = 'sk-engine-batch';

function resolverFor(url: string) {
  const config: ProviderConfig = {
    defaultProvider: 'oa',
    providers: { oa: { name: 'oa', preset: 'openai', baseURL: url, apiKeyEnv: 'PROMPTLAB_TEST_KEY' } },
    models: {},
    pricing: { '*': { inputPerMTok: 2, outputPerMTok: 8 } },
  };
  return createResolver(config, { env: { PROMPTLAB_TEST_KEY: KEY } });
}

const prompt = (count: number, evaluators = "  - name: echoes\n    string:\n      contains: '{{input}}'") =>
  [
    'name: Engine batch',
    'model: openai/gpt-4o-mini',
    'messages:',
    '  - role: user',
    "    content: 'Say {{input}}'",
    'testData:',
    casesYaml(count),
    'evaluators:',
    evaluators,
    '',
  ].join('\n');

void describe('runPrompt with batch', () => {
  let standin: Standin;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-batch-engine-'));
  before(async () => {
    standin = await startStandin({ batch: { stepMs: 30 } });
  });
  beforeEach(() => {
    standin.resetStats();
    standin.batches.resetStats();
    standin.batches.setOptions({ stepMs: 30 });
  });
  after(async () => {
    await standin.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  void it('splits at the line limit only, prices at half the standard price, sends nothing live', async () => {
    const file = await promptFrom(dir, 'split.prompt.yml', prompt(5));
    const events: RunEvent[] = [];
    const outcome = await runPrompt({
      prompt: file,
      resolver: resolverFor(standin.url),
      batch: { maxLinesPerBatch: 2, pollMs: 10 },
      onEvent: (e) => events.push(e),
    });
    assert.equal(standin.batches.stats.batchesCreated, 3, '5 lines at 2 per batch');
    assert.equal(standin.stats.chatRequests, 0);
    assert.equal(outcome.summary.passedTests, 5);
    const sample = outcome.cases[0]?.samples[0];
    // Stand-in tokens: 'Say question 0' = 3 prompt words, 'Echo: Say question 0' = 4 completion words.
    assert.deepEqual(sample?.usage, { prompt: 3, completion: 4, total: 7 });
    assert.equal(sample?.costUsd, ((3 * 2 + 4 * 8) / 1_000_000) * 0.5);
    assert.ok(events.some((e) => e.type === 'batch-status' && e.status === 'completed'));
  });

  void it('similarity evaluators send their embeddings in a batch on /v1/embeddings', async () => {
    const similarity =
      "  - name: close\n    similarity:\n      expected: 'Echo: Say {{expected}}'\n      threshold: 0.9\n      model: openai/text-embedding-3-small";
    const file = await promptFrom(dir, 'embed.prompt.yml', prompt(3, similarity));
    const store = new RunStore(path.join(dir, 'embed-runs'));
    const outcome = await runPrompt({ prompt: file, resolver: resolverFor(standin.url), store, batch: { pollMs: 10 } });
    assert.equal(outcome.summary.passedTests, 3, JSON.stringify(outcome.cases[0]?.samples[0]?.evaluations));
    const run = await store.load(outcome.runFile as string);
    assert.deepEqual(
      run.batches.map((b) => [b.stage, b.endpoint]),
      [
        [0, '/v1/chat/completions'],
        [1, '/v1/embeddings'],
      ],
    );
    assert.equal(standin.stats.embeddingRequests, 0, 'no live embedding request');
  });

  void it('a batch cancelled at the provider: the cases it did not run are errors, the others are kept', async () => {
    standin.batches.setOptions({ stepMs: 400 });
    const file = await promptFrom(dir, 'cancel.prompt.yml', prompt(10));
    const client = new OpenAI({ baseURL: standin.url, apiKey: KEY, maxRetries: 0 });
    let cancelled = false;
    const outcome = await runPrompt({
      prompt: file,
      resolver: resolverFor(standin.url),
      batch: { pollMs: 20, maxPollMs: 20 },
      onEvent: (event) => {
        // Cancel half-way through in_progress (someone pressed "cancel" in the provider's console).
        if (
          event.type === 'batch-status' &&
          event.status === 'in_progress' &&
          event.counts.completed >= 4 &&
          !cancelled
        ) {
          cancelled = true;
          void client.batches.cancel(event.batchId);
        }
      },
    });
    assert.ok(cancelled);
    const kept = outcome.cases.filter((c) => c.passed).length;
    assert.ok(kept >= 4 && kept < 10, `kept ${kept}`);
    for (const lost of outcome.cases.filter((c) => !c.passed))
      assert.match(lost.error ?? '', /cancelled before this request ran/);
  });

  void it('stopping the wait leaves the run open; resumeBatchRun finishes it from the same batch', async () => {
    standin.batches.setOptions({ stepMs: 200 });
    const file = await promptFrom(dir, 'detach.prompt.yml', prompt(4));
    const store = new RunStore(path.join(dir, 'detach-runs'));
    const controller = new AbortController();
    const first = await runPrompt({
      prompt: file,
      resolver: resolverFor(standin.url),
      store,
      signal: controller.signal,
      batch: { pollMs: 10 },
      onEvent: (event) => {
        if (event.type === 'batch-status') controller.abort();
      },
    });
    assert.equal(first.pendingBatches?.length, 1);
    assert.equal(first.cases.length, 0);
    const open = await store.load(first.runFile as string);
    assert.equal(open.finished, false, 'no summary line: the run can be resumed');
    const done = await resumeBatchRun({
      run: open,
      prompt: file,
      resolver: resolverFor(standin.url),
      store,
      batch: { pollMs: 10 },
    });
    assert.equal(done.summary.passedTests, 4);
    assert.equal(standin.batches.stats.batchesCreated, 1);
    const finished = await store.load(first.runFile as string);
    assert.equal(finished.finished, true);
    assert.equal(finished.cases.length, 4);
    await assert.rejects(
      resumeBatchRun({ run: finished, prompt: file, resolver: resolverFor(standin.url), store }),
      /already finished; nothing to resume/,
    );
  });
});

void describe('unbatchedSubmissions', () => {
  const submission = (inputFileId: string, stage: number): BatchSubmitRecord => ({
    type: 'batch-submit',
    inputFileId,
    submittedAt: '2026-01-01T00:00:00.000Z',
    stage,
    endpoint: '/v1/chat/completions',
    endpointOrigin: 'http://127.0.0.1',
    provider: 'oa',
    model: 'openai/gpt-4o-mini',
    keyFingerprint: 'fp',
    customIds: [],
  });
  const submissions = [submission('file-a', 0), submission('file-b', 0), submission('file-c', 1)];

  void it('lists the submissions without a batch of their input file, in submission order', () => {
    const ids = unbatchedSubmissions(submissions, [{ inputFileId: 'file-b' }]).map((s) => s.inputFileId);
    assert.deepEqual(ids, ['file-a', 'file-c']);
  });

  void it('keeps to one stage when one is given', () => {
    assert.deepEqual(
      unbatchedSubmissions(submissions, [{ inputFileId: 'file-b' }], 1).map((s) => s.inputFileId),
      ['file-c'],
    );
    assert.deepEqual(unbatchedSubmissions(submissions, [{ inputFileId: 'file-c' }], 1), []);
  });
});
