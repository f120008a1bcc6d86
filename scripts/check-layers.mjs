// Fails the build when a layer imports what it must not (see docs/architecture.md):
//  - only src/extension may import 'vscode';
//  - src/core and src/protocol stay free of DOM globals and of every other layer (core may use src/format);
//  - src/format (figures and escapers) imports nothing and is free of DOM globals;
//  - src/webview imports only src/protocol (and itself);
//  - src/cli and src/standin never import src/extension or src/webview.
import fs from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const layers = ['core', 'format', 'protocol', 'extension', 'webview', 'cli', 'standin'];
// src/format (how figures are shown, one escaper per output kind) is pure and imports nothing:
// every layer that prints may use it.
const allowed = {
  core: ['core', 'format'],
  format: ['format'],
  protocol: ['protocol'],
  extension: ['extension', 'core', 'format', 'protocol'],
  webview: ['webview', 'protocol', 'format'],
  cli: ['cli', 'core', 'format'],
  standin: ['standin'],
};
const domGlobals = /\b(window|document|HTMLElement|acquireVsCodeApi|localStorage|navigator)\b/;
const problems = [];

function* files(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(e.name)) yield p;
  }
}
const importRe =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

for (const layer of layers) {
  const dir = path.join(root, 'src', layer);
  if (!fs.existsSync(dir)) continue;
  for (const file of files(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    const rel = path.relative(root, file);
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      for (const m of line.matchAll(importRe)) {
        const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
        if (!spec) continue;
        if (spec === 'vscode' && layer !== 'extension')
          problems.push(`${rel}:${i + 1}: '${layer}' must not import 'vscode'`);
        if (spec.startsWith('.')) {
          const target = path
            .relative(path.join(root, 'src'), path.resolve(path.dirname(file), spec))
            .split(path.sep)[0];
          if (target && layers.includes(target) && !allowed[layer].includes(target))
            problems.push(`${rel}:${i + 1}: '${layer}' must not import from src/${target} (${spec})`);
        }
      }
      if (
        (layer === 'core' || layer === 'protocol' || layer === 'format') &&
        !/^\s*(\/\/|\*)/.test(line) &&
        domGlobals.test(line.replace(/(['"`]).*?\1/g, ''))
      )
        problems.push(`${rel}:${i + 1}: '${layer}' must not use DOM globals`);
    });
    if ((layer === 'core' || layer === 'protocol') && /\/\/\/\s*<reference\s+lib=["']dom/i.test(text))
      problems.push(`${rel}: '${layer}' must not reference the DOM lib`);
  }
}
if (problems.length) {
  console.error(`Layer check failed (${problems.length}):\n` + problems.map((p) => '  ' + p).join('\n'));
  process.exit(1);
}
console.log('layer check: ok');
