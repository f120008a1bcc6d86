// The response cache shared by several processes, one of them killed with SIGKILL mid-write.
// The same file is the child: with PROMPTLAB_CACHE_CHILD set it writes entries instead of testing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ResponseCache, responseCacheKey } from '../../../../src/core/store/cache';

const CHILD_FLAG = 'PROMPTLAB_CACHE_CHILD';

const keyOf = (writer: number, i: number): string =>
  responseCacheKey({
    endpointOrigin: 'http://127.0.0.1:1',
    model: 'standin',
    parameters: {},
    messages: [{ role: 'user', content: `writer ${writer} question ${i}` }],
    sample: 0,
  });
/** Long enough that a batch spans several shards and many kilobytes. */
const textOf = (writer: number, i: number): string => `writer ${writer} reply ${i} ${'·'.repeat(i % 700)}`;

/** Writes `count` entries (endless when 0), reporting each batch's last index once it is on disk. */
async function child(): Promise<void> {
  const writer = Number(process.env[CHILD_FLAG]);
  const count = Number(process.env.COUNT);
  const cache = new ResponseCache(process.env.CACHE_DIR ?? '');
  for (let i = 0; count === 0 || i < count; i += 50) {
    const batch = Array.from({ length: 50 }, (_, j) =>
      cache.set(keyOf(writer, i + j), { text: textOf(writer, i + j) }),
    );
    await Promise.all(batch);
    process.send?.({ written: i + 49 });
  }
}

if (process.env[CHILD_FLAG] !== undefined) {
  child().then(
    () => process.disconnect?.(),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-cache-procs-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const start = (writer: number, count: number, dir: string, onWritten: (i: number) => void) => {
    const proc = spawn(process.execPath, [__filename], {
      env: { ...process.env, [CHILD_FLAG]: String(writer), COUNT: String(count), CACHE_DIR: dir },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    proc.on('message', (message: { written?: number }) => {
      if (typeof message.written === 'number') onWritten(message.written);
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      proc.on('exit', (code, signal) => resolve({ code, signal })),
    );
    return { proc, exited };
  };

  void describe('response cache shared by processes', () => {
    void it('keeps every written entry of concurrent writers and serves nothing torn after a kill -9', async () => {
      const dir = path.join(tmp, 'cache');
      let killedWrote = -1;
      let killedStarted = false;
      const killed = start(9, 0, dir, (i) => {
        killedWrote = i;
        killedStarted = true;
      });
      const finishing = [1, 2, 3].map((writer) => start(writer, 600, dir, () => undefined));
      // Kill the endless writer while the others are still appending to the same packs.
      const deadline = Date.now() + 20_000;
      while (!killedStarted && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.ok(killedStarted, 'the endless writer wrote nothing within 20 s');
      killed.proc.kill('SIGKILL');
      assert.equal((await killed.exited).signal, 'SIGKILL');
      for (const { exited } of finishing) assert.deepEqual(await exited, { code: 0, signal: null });

      const reader = new ResponseCache(dir);
      for (const writer of [1, 2, 3])
        for (let i = 0; i < 600; i++) assert.deepEqual(await reader.get(keyOf(writer, i)), { text: textOf(writer, i) });
      // What the killed writer reported is there; what it may have been writing is whole or absent.
      for (let i = 0; i <= killedWrote + 200; i++) {
        const read = await reader.get(keyOf(9, i));
        if (i <= killedWrote) assert.deepEqual(read, { text: textOf(9, i) });
        else assert.ok(read === undefined || read.text === textOf(9, i), `entry ${i} of the killed writer is wrong`);
      }
    });
  });
}
