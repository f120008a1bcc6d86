// kill -9 safety: a run killed mid-way keeps every case it had announced as finished.
// The same file is the child: with PROMPTLAB_KILL_CHILD=1 it runs a prompt instead of tests.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runPrompt } from '../../../../src/core/engine';
import { loadPromptFile } from '../../../../src/core/promptfile';
import { RunStore } from '../../../../src/core/store/runStore';
import { startStandin } from '../../../../src/standin/server';
import { casesYaml, standinResolver } from '../../support/standinSetup';

const CHILD_FLAG = 'PROMPTLAB_KILL_CHILD';

async function child(): Promise<void> {
  const { STANDIN_URL, PROMPT_FILE, RUNS_DIR } = process.env;
  if (!STANDIN_URL || !PROMPT_FILE || !RUNS_DIR) throw new Error('child needs STANDIN_URL, PROMPT_FILE, RUNS_DIR');
  const { prompt } = await loadPromptFile(PROMPT_FILE);
  if (!prompt) throw new Error('prompt did not parse');
  await runPrompt({
    prompt,
    resolver: standinResolver(STANDIN_URL),
    store: new RunStore(RUNS_DIR),
    concurrency: 2,
    onEvent: (event) => {
      if (event.type === 'case-finished') process.send?.({ finished: event.result.caseIndex });
    },
  });
}

function completeLines(file: string): number {
  const text = fs.readFileSync(file, 'utf8');
  return text.split('\n').length - 1;
}

/** Polls the runs folder until its run file has `lines` complete lines (bounded in time). */
async function waitForLines(dir: string, lines: number, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const file = fs.existsSync(dir) ? fs.readdirSync(dir).find((n) => n.endsWith('.jsonl')) : undefined;
    if (file && completeLines(path.join(dir, file)) >= lines) return path.join(dir, file);
    if (Date.now() > deadline) throw new Error(`run file did not reach ${lines} lines within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

if (process.env[CHILD_FLAG] === '1') {
  child().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-kill-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  void describe('run file under kill -9', () => {
    void it('keeps every finished case when the process is killed mid-run', async () => {
      // Slow answers: 30 cases at 2 × 150 ms would take seconds; we kill long before the end.
      const standin = await startStandin({ latencyMs: 150 });
      try {
        const promptFile = path.join(tmp, 'slow.prompt.yml');
        fs.writeFileSync(
          promptFile,
          `model: openai/standin\nmessages:\n  - role: user\n    content: '{{input}}'\ntestData:\n${casesYaml(30)}\n`,
        );
        const runsDir = path.join(tmp, 'runs');
        const reported = new Set<number>();
        const proc = spawn(process.execPath, [__filename], {
          env: {
            ...process.env,
            [CHILD_FLAG]: '1',
            STANDIN_URL: standin.url,
            PROMPT_FILE: promptFile,
            RUNS_DIR: runsDir,
          },
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        proc.on('message', (message: { finished?: number }) => {
          if (typeof message.finished === 'number') reported.add(message.finished);
        });
        const exited = new Promise<NodeJS.Signals | null>((resolve) =>
          proc.on('exit', (_code, signal) => resolve(signal)),
        );

        // Header + at least 2 case lines on disk.
        const runFile = await waitForLines(runsDir, 3, 20_000);
        proc.kill('SIGKILL');
        assert.equal(await exited, 'SIGKILL');

        const store = new RunStore(runsDir);
        const loaded = await store.load(runFile);
        assert.equal(loaded.finished, false);
        assert.ok(loaded.cases.length >= 2, `expected ≥ 2 cases, got ${loaded.cases.length}`);
        assert.ok(loaded.cases.length < 30, 'the run was killed before it ended');
        // Every case the child announced as finished is on disk (announced only after the write).
        const onDisk = new Set(loaded.cases.map((c) => c.caseIndex));
        for (const index of reported)
          assert.ok(onDisk.has(index), `case ${index} was reported finished but is not in the run file`);
        for (const c of loaded.cases) assert.equal(c.samples[0]?.output, `Echo: question ${c.caseIndex}`);
        assert.ok(loaded.warnings.some((w) => w.includes('no summary line')));
        const listed = await store.list();
        assert.equal(listed[0]?.summary, undefined);
      } finally {
        await standin.close();
      }
    });
  });
}
