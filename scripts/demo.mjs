// `npm run demo`: start the local stand-in server, run `promptlab eval` on the examples against
// it, show the results and where the run was stored, stop the stand-in.
// Every model reply in this demo comes from the stand-in (src/standin, docs/standin.md), a local
// deterministic OpenAI-compatible server — not from a real model.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const cli = path.join(root, 'dist', 'cli.js');
const standinBin = path.join(root, 'dist', 'standin.js');
const config = path.join(root, 'examples', 'promptlab.config.yaml');
// examples/promptlab.config.yaml maps the examples' models to the stand-in at this port.
const PORT = 41100;

for (const file of [cli, standinBin]) {
  if (!fs.existsSync(file)) {
    console.error(
      `demo: ${path.relative(root, file)} is missing; run \`npm run demo\` (it builds first) or \`node scripts/build.mjs\``,
    );
    process.exit(2);
  }
}

/** Starts the stand-in and resolves with its base URL (it prints `STANDIN_URL=<url>` when listening). */
function startStandin() {
  // A little latency so the run looks like a real one; replies stay deterministic.
  const child = spawn(
    process.execPath,
    [standinBin, '--port', String(PORT), '--latency-ms', '60', '--per-token-delay-ms', '2'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error('the stand-in did not start within 10 s'));
    }, 10_000);
    child.on('error', reject);
    child.on('exit', (code) =>
      reject(
        new Error(
          `the stand-in exited early (code ${code}); is port ${PORT} in use? examples/promptlab.config.yaml expects the stand-in there`,
        ),
      ),
    );
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^STANDIN_URL=(\S+)$/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ child, url: match[1] });
    });
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

let standin;
let url;
try {
  ({ child: standin, url } = await startStandin());
} catch (error) {
  console.error(`demo: ${error.message}`);
  process.exit(2);
}
console.log(`PromptLab demo — model replies come from the local stand-in server at ${url},`);
console.log('a deterministic OpenAI-compatible test server (it echoes the prompt, generates JSON from');
console.log('the schema and answers judge prompts with 4 stars). No real model is called; costs are');
console.log("the models' public prices applied to the stand-in's token counts.\n");

let code = 2;
try {
  const child = spawn(process.execPath, [cli, 'eval', 'examples/*.prompt.yaml', '--config', config, '--no-cache'], {
    cwd: root,
    // No provider keys for the demo: nothing here should reach a real service.
    env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !/_API_KEY$|^OPENAI_BASE_URL$/.test(name))),
    stdio: 'inherit',
  });
  code = await new Promise((resolve) => child.on('exit', (exitCode) => resolve(exitCode ?? 2)));
} finally {
  await stop(standin);
}

console.log('');
if (code === 0) console.log('demo: every test passed (exit code 0).');
else if (code === 1)
  console.log(
    'demo: exit code 1 — some tests failed, shown above (the long ticket\'s "summary" from the echoing stand-in is too long).',
  );
else console.log(`demo: promptlab exited with ${code} (could not run); see the message above.`);
console.log('The stand-in has been stopped.');
process.exit(code === 1 ? 0 : code);
