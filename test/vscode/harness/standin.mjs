// Starts the project's stand-in OpenAI-compatible server (dist/standin.js) on a free port for the test run.
// It announces itself with a `STANDIN_URL=http://127.0.0.1:PORT...` line on stdout.
import { spawnGroup } from './processes.mjs';
import { withTimeout } from '../../e2e/lib/wait.mjs';

/**
 * @param {{ script: string, logFile: string, cwd: string, timeoutMs?: number }} options
 * @returns {Promise<{ url: string, pgid: number }>}
 */
export async function startStandin({ script, logFile, cwd, timeoutMs = 30_000 }) {
  const child = spawnGroup(process.execPath, [script, '--port', '0'], { cwd, logFile, output: 'pipe' });
  const announced = new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const match = /^STANDIN_URL=(\S+)\s*$/m.exec(buffered);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) =>
      reject(new Error(`stand-in server exited with ${code} before announcing its URL (log: ${logFile})`)),
    );
  });
  const url = await withTimeout(announced, timeoutMs, `stand-in server to print STANDIN_URL (log: ${logFile})`);
  // Keep draining stdout so a chatty server never blocks on a full pipe.
  child.stdout.resume();
  return { url, pgid: child.pid };
}
