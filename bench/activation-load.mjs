// Activation cost of the extension bundle outside VS Code: the time Node takes to load and evaluate
// dist/extension.js (package.json `main`) in a fresh process, with `vscode` replaced by an inert stub
// (module evaluation only; activate() itself is timed inside the real extension host and logged as
// "PromptLab activated in … ms"). Prints the bundle's size and module count too. Nothing is asserted.
//   node scripts/build.mjs --production && node bench/activation-load.mjs [--rounds N] [--dir DIR]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const rounds = Number(option('--rounds', '15'));
const dir = path.resolve(option('--dir', path.dirname(path.dirname(new URL(import.meta.url).pathname))));
const bundle = path.join(dir, 'dist', 'extension.js');

// Runs in the child: stub `vscode`, then time require(bundle).
// The stub has every top-level name of the vscode API (from @types/vscode); each is an inert proxy.
const apiNames = [
  ...fs
    .readFileSync(path.join(dir, 'node_modules/@types/vscode/index.d.ts'), 'utf8')
    .matchAll(/^\s*export (?:namespace|class|enum|const|function|let) (\w+)/gm),
].map((m) => m[1]);
const child = `
const Module = require('node:module');
const inert = new Proxy(function () {}, { get: (t, p) => (p === Symbol.toPrimitive ? () => '' : p === 'prototype' ? {} : inert), apply: () => inert, construct: () => inert });
const stub = Object.fromEntries(${JSON.stringify(apiNames)}.map((name) => [name, inert]));
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const started = performance.now();
require(${JSON.stringify(bundle)});
process.stdout.write(String(performance.now() - started));
`;

const times = [];
for (let i = 0; i < rounds; i++)
  times.push(Number(execFileSync(process.execPath, ['-e', child], { encoding: 'utf8' })));
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const meta = path.join(dir, 'dist', 'extension.meta.json');
const modules = fs.existsSync(meta) ? Object.keys(JSON.parse(fs.readFileSync(meta, 'utf8')).inputs).length : undefined;
console.log(
  `bundle ${path.relative(process.cwd(), bundle) || bundle}: ${(fs.statSync(bundle).size / 1024).toFixed(0)} KB${modules ? `, ${modules} modules` : ''}`,
);
console.log(
  `load + evaluate in a fresh Node process (vscode stubbed), ${rounds} rounds: median ${median.toFixed(1)} ms, min ${times[0].toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms`,
);
console.log(`load average: ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
