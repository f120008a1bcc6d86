import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { formatLocation, PromptLabError } from '../../../../src/core/errors';
import { caseKey } from '../../../../src/core/run/canonical';
import { summarize } from '../../../../src/core/run/summary';
import type { CaseResult, RunHeader } from '../../../../src/core/run/types';
import { RunStore, TORN_LINE_WARNING, newRunId } from '../../../../src/core/store/runStore';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-store-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function header(runId: string, startedAt = '2026-11-26T08:15:03.000Z'): RunHeader {
  return {
    kind: 'promptlab-run',
    formatVersion: 1,
    runId,
    promptFile: '/repo/prompts/summarize.prompt.yml',
    promptFileRelative: 'prompts/summarize.prompt.yml',
    contentHash: 'ab'.repeat(32),
    model: 'openai/gpt-4o-mini',
    endpointOrigin: 'http://127.0.0.1:1234',
    provider: 'openai',
    parameters: { temperature: 0 },
    repeat: 1,
    caseCount: 3,
    startedAt,
    toolVersion: '0.1.0',
  };
}

function caseResult(caseIndex: number, passed: boolean): CaseResult {
  const vars = { input: `question ${caseIndex}` };
  return {
    caseIndex,
    caseKey: caseKey(vars),
    vars,
    samples: [
      {
        sample: 0,
        output: `answer ${caseIndex}`,
        evaluations: [{ evaluatorName: 'has answer', score: passed ? 1 : 0, passed, details: 'x' }],
        passed,
        usage: { prompt: 10, completion: 5, total: 15 },
        latencyMs: 20,
        costUsd: 0.001,
        cached: false,
      },
    ],
    passRate: passed ? 1 : 0,
    passed,
  };
}

void describe('RunStore', () => {
  void it('round-trips a run: header, cases in finishing order, summary', async () => {
    const store = new RunStore(path.join(tmp, 'roundtrip'));
    const id = newRunId('/repo/prompts/Summarize It.prompt.yml', new Date('2026-11-26T08:15:03.123Z'));
    assert.match(id, /^2026-11-26T08-15-03-123Z_summarize-it_[0-9a-f]{6}$/);
    const writer = store.create(header(id));
    const cases = [caseResult(2, true), caseResult(0, false)];
    for (const c of cases) writer.appendCase(c);
    const summary = summarize(cases, 1234);
    writer.finish(summary, false);

    const loaded = await store.load(id);
    assert.equal(loaded.id, id);
    assert.deepEqual(loaded.header, header(id));
    assert.deepEqual(loaded.cases, cases);
    assert.equal(loaded.finished, true);
    assert.deepEqual(loaded.warnings, []);
    const { cancelled, finishedAt, ...stored } = loaded.summary;
    assert.equal(cancelled, false);
    assert.ok(!Number.isNaN(Date.parse(finishedAt)));
    assert.deepEqual(stored, summary);
    // By path as well as by id.
    assert.deepEqual((await store.load(writer.file)).cases, cases);
  });

  void it('tolerates a torn last line and a missing summary', async () => {
    const store = new RunStore(path.join(tmp, 'torn'));
    const id = newRunId('a.prompt.yml', new Date());
    const writer = store.create(header(id));
    writer.appendCase(caseResult(0, true));
    writer.appendCase(caseResult(1, false));
    writer.close();
    // Half of a third record, as a process killed mid-write on a full disk might leave.
    const third = JSON.stringify({ type: 'case', ...caseResult(2, true) });
    fs.appendFileSync(writer.file, third.slice(0, 40));

    const loaded = await store.load(id);
    assert.deepEqual(
      loaded.cases.map((c) => c.caseIndex),
      [0, 1],
    );
    assert.equal(loaded.finished, false);
    assert.ok(loaded.warnings.includes(TORN_LINE_WARNING));
    assert.ok(loaded.warnings.some((w) => /no summary line.*recomputed from 2 finished cases/.test(w)));
    assert.equal(loaded.summary.totalTests, 2);
    assert.equal(loaded.summary.passedTests, 1);
    assert.equal(loaded.summary.passRate, 50);
  });

  void it('reports a file that is not a run file with its location', async () => {
    const store = new RunStore(path.join(tmp, 'foreign'));
    fs.mkdirSync(store.dir, { recursive: true });
    const file = path.join(store.dir, 'notes.jsonl');
    fs.writeFileSync(file, '{"hello": 1}\n');
    await assert.rejects(
      store.load(file),
      (e: unknown) =>
        e instanceof PromptLabError &&
        /^not a PromptLab run file/.test(e.message) &&
        formatLocation(e.location?.file ?? '', e.location?.range).endsWith('notes.jsonl:1:1'),
    );
    await assert.rejects(store.load('missing-run'), /Run not found/);
  });

  void it('lists runs newest first with summaries when finished, and deletes by id', async () => {
    const store = new RunStore(path.join(tmp, 'list'));
    assert.deepEqual(await store.list(), []);
    const older = newRunId('x.prompt.yml', new Date('2026-11-25T10:00:00Z'));
    const newer = newRunId('x.prompt.yml', new Date('2026-11-26T10:00:00Z'));
    const done = store.create(header(older));
    done.appendCase(caseResult(0, true));
    done.finish(summarize([caseResult(0, true)], 5), true);
    const running = store.create(header(newer));
    running.appendCase(caseResult(0, true));
    // A stray file in the folder is skipped, not fatal.
    fs.writeFileSync(path.join(store.dir, 'garbage.jsonl'), 'not json\n');

    const runs = await store.list();
    assert.deepEqual(
      runs.map((r) => r.id),
      [newer, older],
    );
    assert.equal(runs[0]?.summary, undefined);
    assert.equal(runs[1]?.summary?.passedTests, 1);
    assert.equal(runs[1]?.summary?.cancelled, true);
    assert.equal(runs[1]?.header.model, 'openai/gpt-4o-mini');
    running.close();

    await store.delete(older);
    assert.deepEqual(
      (await store.list()).map((r) => r.id),
      [newer],
    );
    await assert.rejects(store.delete(older), /Run not found/);
    assert.throws(() => store.fileOf('../escape'), /Invalid run id/);
  });

  void it('lists many runs (more than one batch of open files), newest first', async () => {
    const store = new RunStore(path.join(tmp, 'many'));
    const ids: string[] = [];
    for (let i = 0; i < 70; i++) {
      const id = newRunId('m.prompt.yml', new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
      ids.push(id);
      const writer = store.create(header(id));
      writer.finish(summarize([], i), false);
    }
    const listed = await store.list();
    assert.deepEqual(
      listed.map((r) => r.id),
      [...ids].reverse(),
    );
    assert.equal(listed[0]?.summary?.durationMs, 69);
  });

  void it('refuses to overwrite an existing run file', () => {
    const store = new RunStore(path.join(tmp, 'exclusive'));
    const id = newRunId('x.prompt.yml', new Date());
    store.create(header(id)).close();
    assert.throws(() => store.create(header(id)), /EEXIST/);
  });

  void it('continues a run in its file: later case lines replace earlier ones, other records are kept, finished means a summary comes last', async () => {
    const store = new RunStore(path.join(tmp, 'continued'));
    const id = newRunId('c.prompt.yml', new Date());
    const writer = store.create(header(id));
    writer.appendCase(caseResult(0, false));
    writer.appendCase(caseResult(1, true));
    writer.finish(summarize([caseResult(0, false), caseResult(1, true)], 10), true);
    assert.equal((await store.load(id)).finished, true);

    const more = store.append(id);
    assert.throws(() => more.appendRecord('case', {}), /use appendCase/);
    more.appendRecord('batch', { batchId: 'b-1' });
    more.close();
    const pending = await store.load(id);
    assert.equal(pending.finished, false, 'a record after the summary continues the run');
    assert.deepEqual(pending.records, [{ type: 'batch', batchId: 'b-1', line: 5 }]);
    assert.equal((await store.list()).find((r) => r.id === id)?.summary, undefined, 'list() agrees: no summary last');

    // Half a line, as a kill mid-write leaves it: the next writer ends it instead of gluing to it.
    fs.appendFileSync(store.fileOf(id), '{"type":"case","caseI');
    const last = store.append(id);
    last.appendCase(caseResult(0, true));
    last.appendCase(caseResult(2, true));
    last.finish(summarize([caseResult(0, true), caseResult(1, true), caseResult(2, true)], 20), false);
    const loaded = await store.load(id);
    assert.equal(loaded.finished, true);
    assert.deepEqual(
      loaded.cases.map((c) => [c.caseIndex, c.passed]),
      [
        [0, true],
        [1, true],
        [2, true],
      ],
      'one case per index, the last line wins',
    );
    assert.deepEqual(loaded.warnings, ['line 6: not valid JSON, ignored']);
    assert.equal(loaded.summary.passedTests, 3);
  });

  void it('will not let a second writer into a run that a live process is writing; takes over from a dead one', async () => {
    const store = new RunStore(path.join(tmp, 'locked'));
    const id = newRunId('l.prompt.yml', new Date());
    const first = store.create(header(id));
    assert.ok(fs.existsSync(`${first.file}.lock`));
    assert.throws(
      () => store.append(id),
      (e: unknown) =>
        e instanceof PromptLabError &&
        new RegExp(`run ${id} is still being written by process ${process.pid}`).test(e.message),
    );
    first.close();
    assert.equal(fs.existsSync(`${first.file}.lock`), false, 'closing releases the lock');

    // A lock left behind by a process that was killed (here: one that has already exited).
    const { spawnSync } = await import('node:child_process');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(`${first.file}.lock`, JSON.stringify({ pid: Number(dead.stdout), host: os.hostname() }));
    const taken = store.append(id);
    taken.appendRecord('resume', {});
    taken.close();
    assert.equal((await store.load(id)).records.length, 1);
    assert.deepEqual(fs.readdirSync(store.dir), [path.basename(first.file)], 'no lock left');
  });
});

void describe('RunStore: batch records and reopening', () => {
  void it('keeps batch records and their ends, reopens a run to append, writes many cases at once', async () => {
    const store = new RunStore(path.join(tmp, 'batch'));
    const id = newRunId('/repo/prompts/summarize.prompt.yml', new Date('2026-11-26T09:00:00Z'));
    const writer = store.create(header(id));
    const record = {
      type: 'batch' as const,
      stage: 0,
      batchId: 'batch_1',
      endpoint: '/v1/chat/completions',
      endpointOrigin: 'http://127.0.0.1:1234',
      provider: 'openai',
      model: 'openai/gpt-4o-mini',
      keyFingerprint: 'abc123abc123',
      customIds: ['case-0-0', 'case-1-0', 'case-2-0'],
      createdAt: '2026-11-26T09:00:01.000Z',
    };
    writer.appendBatch(record);
    writer.close();
    const open = await store.load(id);
    assert.deepEqual(open.batches, [record]);
    assert.equal(open.finished, false);
    assert.deepEqual(
      open.warnings.filter((w) => w.includes('unknown record')),
      [],
    );

    const again = store.append(open.file);
    const end = {
      type: 'batch-result' as const,
      batchId: 'batch_1',
      status: 'completed',
      outputFileId: 'file-1',
      counts: { total: 3, completed: 3, failed: 0 },
      finishedAt: '2026-11-26T09:01:00.000Z',
    };
    again.appendBatch(end);
    const cases = [caseResult(0, true), caseResult(1, false), caseResult(2, true)];
    again.appendCases(cases);
    again.finish(summarize(cases, 10), false);
    const done = await store.load(id);
    assert.deepEqual(done.batchResults, [end]);
    assert.deepEqual(done.cases, cases);
    assert.equal(done.finished, true);
    assert.equal(done.header.runId, id, 'reopening wrote no second header');
  });
});
