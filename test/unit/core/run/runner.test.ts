// The runner end to end: real provider (`openai` client) → stand-in server over real sockets.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runPrompt } from '../../../../src/core/engine';
import type { RunEvent, RunHeader } from '../../../../src/core/run/types';
import { ResponseCache } from '../../../../src/core/store/cache';
import { RunStore, type RunWriter } from '../../../../src/core/store/runStore';
import { casesYaml, closedPortURL, promptFrom, standinResolver, standinFixture } from '../../support/standinSetup';

const fixture = standinFixture('runner');

const basicYaml = (count: number, extra = ''): string => `name: Echo test
model: openai/standin
modelParameters:
  temperature: 0
messages:
  - role: system
    content: You repeat things.
  - role: user
    content: '{{input}}'
testData:
${casesYaml(count)}
evaluators:
  - name: echoes the input
    string:
      contains: '{{expected}}'
${extra}`;

void describe('runPrompt over the stand-in', () => {
  void it('runs every case, evaluates, prices, and writes a run file that loads back', async () => {
    fixture.standin.resetStats();
    const prompt = await promptFrom(fixture.dir, 'basic.prompt.yml', basicYaml(5));
    const store = new RunStore(path.join(fixture.dir, 'runs-basic'));
    const events: RunEvent[] = [];
    const outcome = await runPrompt({
      prompt,
      resolver: standinResolver(fixture.standin.url, { price: { inputPerMTok: 1_000_000, outputPerMTok: 2_000_000 } }),
      store,
      onEvent: (e) => events.push(e),
      label: 'basic',
    });

    assert.equal(outcome.cancelled, false);
    assert.deepEqual(
      outcome.cases.map((c) => c.caseIndex),
      [0, 1, 2, 3, 4],
    );
    for (const c of outcome.cases) {
      const [s] = c.samples;
      assert.ok(s);
      assert.equal(s.output, `Echo: question ${c.caseIndex}`);
      assert.equal(s.evaluations[0]?.passed, true);
      // Stand-in tokens are words: prompt "You repeat things." + "question N" = 5, reply 3.
      assert.deepEqual(s.usage, { prompt: 5, completion: 3, total: 8 });
      // $1 per input token, $2 per output token at these test prices.
      assert.equal(s.costUsd, 5 * 1 + 3 * 2);
      assert.equal(s.cached, false);
      assert.ok(s.latencyMs > 0);
      assert.ok(s.ttftMs !== undefined && s.ttftMs <= s.latencyMs);
      assert.equal(c.passed, true);
      assert.equal(c.passRate, 1);
    }
    assert.equal(outcome.summary.totalTests, 5);
    assert.equal(outcome.summary.passRate, 100);
    assert.equal(outcome.summary.costUsd, 55);
    assert.equal(fixture.standin.stats.chatRequests, 5);

    // Header: model as written, endpoint origin only, content hash of the file.
    assert.equal(outcome.header.model, 'openai/standin');
    assert.equal(outcome.header.endpointModel, 'standin');
    assert.equal(outcome.header.provider, 'custom');
    assert.equal(outcome.header.endpointOrigin, new URL(fixture.standin.url).origin);
    assert.equal(outcome.header.caseCount, 5);
    assert.equal(outcome.header.label, 'basic');
    assert.match(outcome.header.contentHash, /^[0-9a-f]{64}$/);

    // Events: run-started first, run-finished last, a case-finished per case, deltas that add up.
    assert.equal(events[0]?.type, 'run-started');
    assert.equal(events.at(-1)?.type, 'run-finished');
    assert.equal(events.filter((e) => e.type === 'case-queued').length, 5);
    assert.equal(events.filter((e) => e.type === 'case-finished').length, 5);
    const streamed = events
      .filter((e): e is Extract<RunEvent, { type: 'case-delta' }> => e.type === 'case-delta' && e.caseIndex === 3)
      .map((e) => e.text)
      .join('');
    assert.equal(streamed, 'Echo: question 3');

    assert.ok(outcome.runFile);
    const loaded = await store.load(outcome.runFile);
    assert.deepEqual(loaded.warnings, []);
    assert.equal(loaded.finished, true);
    assert.deepEqual(loaded.header, outcome.header);
    assert.deepEqual(
      [...loaded.cases].sort((a, b) => a.caseIndex - b.caseIndex),
      outcome.cases,
    );
    assert.equal(loaded.summary.passedTests, 5);
    const listed = await store.list();
    assert.equal(listed[0]?.file, outcome.runFile);
  });

  void it('honours the concurrency limit (max in flight measured by the server)', async () => {
    const prompt = await promptFrom(fixture.dir, 'pool.prompt.yml', basicYaml(12));
    for (const concurrency of [1, 3]) {
      fixture.standin.resetStats();
      fixture.standin.setOptions({ latencyMs: 20 });
      await runPrompt({ prompt, resolver: standinResolver(fixture.standin.url), concurrency });
      assert.equal(fixture.standin.stats.chatRequests, 12);
      assert.equal(fixture.standin.stats.maxInFlight, concurrency);
    }
    fixture.standin.setOptions({ latencyMs: 0 });
  });

  void it('many requests in flight raise no MaxListenersExceededWarning on the shared signal', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const prompt = await promptFrom(fixture.dir, 'wide.prompt.yml', basicYaml(24));
      const outcome = await runPrompt({
        prompt,
        resolver: standinResolver(fixture.standin.url),
        concurrency: 12,
        signal: new AbortController().signal,
      });
      assert.equal(outcome.summary.passedTests, 24);
      // Process warnings are emitted on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(
        warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message),
        [],
      );
    } finally {
      process.off('warning', onWarning);
    }
  });

  void it('a failing request fails only its case, and the run goes on', async () => {
    fixture.standin.resetStats();
    const prompt = await promptFrom(
      fixture.dir,
      'fail.prompt.yml',
      basicYaml(4, '').replace("input: 'question 2'", "input: 'question 2 [[status: 500]]'"),
    );
    const events: RunEvent[] = [];
    const outcome = await runPrompt({
      prompt,
      resolver: standinResolver(fixture.standin.url),
      onEvent: (e) => events.push(e),
    });
    assert.equal(outcome.cases.length, 4);
    const failed = outcome.cases[2];
    assert.ok(failed);
    assert.equal(failed.passed, false);
    assert.match(failed.error ?? '', /500/);
    assert.equal(failed.samples[0]?.evaluations.length, 0);
    assert.equal(failed.samples[0]?.costUsd, null);
    assert.deepEqual(
      outcome.cases.filter((c) => c.passed).map((c) => c.caseIndex),
      [0, 1, 3],
    );
    assert.equal(outcome.summary.erroredTests, 1);
    assert.equal(outcome.summary.passRate, 75);
    assert.deepEqual(
      events.filter((e) => e.type === 'case-failed').map((e) => (e.type === 'case-failed' ? e.result.caseIndex : -1)),
      [2],
    );
  });

  void it('an unreachable endpoint errors every case without throwing', async () => {
    const prompt = await promptFrom(fixture.dir, 'closed.prompt.yml', basicYaml(3));
    const store = new RunStore(path.join(fixture.dir, 'runs-closed'));
    const outcome = await runPrompt({ prompt, resolver: standinResolver(await closedPortURL()), store });
    assert.equal(outcome.cases.length, 3);
    for (const c of outcome.cases) assert.match(c.error ?? '', /connection refused/);
    assert.equal(outcome.summary.passedTests, 0);
    assert.equal(outcome.summary.erroredTests, 3);
    assert.equal((await store.load(outcome.runFile ?? '')).cases.length, 3);
  });

  void it('cancellation aborts in-flight requests and keeps the finished cases', async () => {
    fixture.standin.resetStats();
    // Cases 0 and 1 answer at once; the others would take 20 s, so they are in flight when we cancel.
    const prompt = await promptFrom(
      fixture.dir,
      'cancel.prompt.yml',
      basicYaml(10).replace(/input: 'question ([2-9])'/g, "input: 'question $1 [[delay: 20000]]'"),
    );
    const store = new RunStore(path.join(fixture.dir, 'runs-cancel'));
    const controller = new AbortController();
    const events: RunEvent[] = [];
    const running = runPrompt({
      prompt,
      resolver: standinResolver(fixture.standin.url),
      concurrency: 2,
      store,
      signal: controller.signal,
      onEvent: (e) => events.push(e),
    });
    // A worker takes its next case only after finishing the last one: 4 requests = cases 0, 1 done.
    await fixture.standin.waitFor((s) => s.requests === 4, 10_000);
    controller.abort();
    const outcome = await running;
    assert.equal(outcome.cancelled, true);
    assert.deepEqual(
      outcome.cases.map((c) => c.caseIndex),
      [0, 1],
    );
    assert.deepEqual(events.filter((e) => e.type === 'case-finished' || e.type === 'case-failed').length, 2);
    assert.deepEqual(events.at(-1), {
      type: 'run-finished',
      summary: outcome.summary,
      cancelled: true,
      runFile: outcome.runFile,
    });
    // Both requests in flight were aborted on the wire, and no further case started.
    await fixture.standin.waitFor((s) => s.clientAborts === 2 && s.inFlight === 0, 10_000);
    assert.equal(fixture.standin.stats.requests, 4);
    const loaded = await store.load(outcome.runFile ?? '');
    assert.deepEqual(loaded.cases.map((c) => c.caseIndex).sort(), [0, 1]);
    assert.equal(loaded.summary.cancelled, true);
    assert.equal(loaded.finished, true);
  });

  void it('repeat runs every sample and gives a per-case pass rate', async () => {
    fixture.standin.resetStats();
    const prompt = await promptFrom(fixture.dir, 'repeat.prompt.yml', `${basicYaml(2)}repeat: 3\n`);
    assert.equal(prompt.repeat, 3);
    // The very first request (case 0, sample 0 at concurrency 1) is rejected by the server.
    fixture.standin.setOptions({ failNext: [{ status: 400, message: 'scripted' }] });
    const outcome = await runPrompt({ prompt, resolver: standinResolver(fixture.standin.url), concurrency: 1 });
    assert.equal(fixture.standin.stats.chatRequests, 6);
    const [first, second] = outcome.cases;
    assert.deepEqual(
      first?.samples.map((s) => s.sample),
      [0, 1, 2],
    );
    assert.match(first?.samples[0]?.error ?? '', /scripted/);
    assert.equal(first?.passRate, 2 / 3);
    assert.equal(first?.passed, false);
    assert.equal(first?.error, undefined);
    assert.equal(second?.passRate, 1);
    assert.equal(second?.passed, true);
    // The option overrides the file.
    const once = await runPrompt({ prompt, resolver: standinResolver(fixture.standin.url), repeat: 1 });
    assert.equal(once.cases[0]?.samples.length, 1);
  });

  void it('a re-run with the cache answers from it, marked cached, with the same outputs', async () => {
    fixture.standin.resetStats();
    const prompt = await promptFrom(fixture.dir, 'cache.prompt.yml', `${basicYaml(3)}repeat: 2\n`);
    const cache = new ResponseCache(path.join(fixture.dir, 'cache'));
    const first = await runPrompt({ prompt, resolver: standinResolver(fixture.standin.url), cache });
    assert.equal(fixture.standin.stats.chatRequests, 6);
    assert.ok(first.cases.every((c) => c.samples.every((s) => !s.cached)));
    const events: RunEvent[] = [];
    const second = await runPrompt({
      prompt,
      resolver: standinResolver(fixture.standin.url),
      cache,
      onEvent: (e) => events.push(e),
    });
    assert.equal(fixture.standin.stats.chatRequests, 6);
    assert.ok(second.cases.every((c) => c.samples.every((s) => s.cached)));
    assert.deepEqual(
      second.cases.map((c) => c.samples.map((s) => s.output)),
      first.cases.map((c) => c.samples.map((s) => s.output)),
    );
    assert.deepEqual(second.cases[0]?.samples[0]?.usage, first.cases[0]?.samples[0]?.usage);
    assert.equal(first.cases[0]?.samples[0]?.finishReason, 'stop');
    assert.equal(second.cases[0]?.samples[0]?.finishReason, 'stop');
    assert.equal(second.summary.cachedSamples, 6);
    // Same figures as when first paid: the request's latency and cost; the re-run itself spent $0.
    assert.deepEqual(
      second.cases.map((c) => c.samples.map((s) => s.latencyMs)),
      first.cases.map((c) => c.samples.map((s) => s.latencyMs)),
    );
    assert.ok(second.cases.every((c) => c.samples.every((s) => s.latencyIsLookup === undefined)));
    assert.equal(second.summary.meanLatencyMs, first.summary.meanLatencyMs);
    assert.equal(second.summary.costUsd, 0);
    assert.equal(second.summary.cachedCostUsd, first.summary.costUsd);
    assert.ok(events.some((e) => e.type === 'case-delta' && e.text === 'Echo: question 1'));
    // Another model is another cache entry.
    await runPrompt({
      prompt,
      resolver: standinResolver(fixture.standin.url),
      cache,
      model: 'openai/standin-upper',
      repeat: 1,
    });
    assert.equal(fixture.standin.stats.chatRequests, 9);
  });

  void it('the model override wins over the file, and unknown case indexes are refused', async () => {
    fixture.standin.resetStats();
    const prompt = await promptFrom(fixture.dir, 'override.prompt.yml', basicYaml(3));
    const outcome = await runPrompt({
      prompt,
      resolver: standinResolver(fixture.standin.url),
      model: 'openai/standin-upper',
      caseIndexes: [2, 0],
    });
    assert.deepEqual(
      outcome.cases.map((c) => c.caseIndex),
      [0, 2],
    );
    assert.equal(outcome.cases[0]?.samples[0]?.output, 'ECHO: QUESTION 0');
    assert.equal(outcome.header.model, 'openai/standin-upper');
    // contains ignores case, so the upper-cased echo still passes.
    assert.equal(outcome.cases[0]?.passed, true);
    await assert.rejects(
      runPrompt({ prompt, resolver: standinResolver(fixture.standin.url), caseIndexes: [7] }),
      /No test case with index 7/,
    );
  });

  void it('json_schema replies are checked against the file schema; an unknown price is never cheap', async () => {
    const prompt = await promptFrom(
      fixture.dir,
      'schema.prompt.yml',
      `model: openai/standin
responseFormat: json_schema
jsonSchema: |-
  {"name": "person", "schema": {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}}, "required": ["name", "age"], "additionalProperties": false}}
messages:
  - role: user
    content: 'Describe {{who}}'
testData:
  - who: Ada
evaluators:
  - name: valid person
    jsonSchema: {}
  - name: budget
    costUsd: 0.01
`,
    );
    const outcome = await runPrompt({ prompt, resolver: standinResolver(fixture.standin.url) });
    const sample = outcome.cases[0]?.samples[0];
    assert.deepEqual(JSON.parse(sample?.output ?? ''), { name: 'stand-in name', age: 0 });
    assert.equal(sample?.evaluations[0]?.passed, true);
    assert.equal(sample?.costUsd, null);
    assert.equal(sample?.evaluations[1]?.error, true);
    assert.match(sample?.evaluations[1]?.details ?? '', /price unknown/);
    assert.equal(outcome.summary.costUsd, null);
    assert.equal(outcome.header.responseFormat, 'json_schema');
  });

  void it('a run file that cannot be written stops the run with a clear error', async () => {
    fixture.standin.resetStats();
    const prompt = await promptFrom(fixture.dir, 'diskfull.prompt.yml', basicYaml(20));
    // A store whose disk fills up at the second case record.
    class FullDiskStore extends RunStore {
      override create(header: RunHeader): RunWriter {
        const writer = super.create(header);
        const append = writer.appendCase.bind(writer);
        let records = 0;
        writer.appendCase = (result) => {
          if (++records === 2) throw new Error('ENOSPC: no space left on device, write');
          append(result);
        };
        return writer;
      }
    }
    const store = new FullDiskStore(path.join(fixture.dir, 'runs-full'));
    await assert.rejects(
      runPrompt({ prompt, resolver: standinResolver(fixture.standin.url), store, concurrency: 1 }),
      /Cannot write the run file .*ENOSPC.*the run was stopped/,
    );
    assert.equal(fixture.standin.stats.chatRequests, 2);
    const [info] = await store.list();
    assert.equal((await store.load(info?.file ?? '')).cases.length, 1);
    // A runs folder below a regular file cannot be created.
    const blocker = path.join(fixture.dir, 'not-a-folder');
    fs.writeFileSync(blocker, '');
    await assert.rejects(
      runPrompt({
        prompt,
        resolver: standinResolver(fixture.standin.url),
        store: new RunStore(path.join(blocker, 'runs')),
      }),
      /Cannot create the run file in .*not-a-folder.*ENOTDIR/,
    );
  });

  void it('no test data: no cases (as gh-models), or one case on request', async () => {
    const prompt = await promptFrom(
      fixture.dir,
      'nodata.prompt.yml',
      'model: openai/standin\nmessages:\n  - role: user\n    content: Hello\n',
    );
    const none = await runPrompt({ prompt, resolver: standinResolver(fixture.standin.url) });
    assert.equal(none.cases.length, 0);
    assert.equal(none.summary.passRate, 100);
    const one = await runPrompt({ prompt, resolver: standinResolver(fixture.standin.url), runWithoutTestData: true });
    assert.equal(one.cases[0]?.samples[0]?.output, 'Echo: Hello');
  });
});
