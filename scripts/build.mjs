// Bundles every entry point with esbuild; `tsc` only type-checks (npm run typecheck).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', absWorkingDir: root, legalComments: 'none' };
// CJS output has no import.meta; see scripts/import-meta-url.js.
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', inject: ['scripts/import-meta-url.js'], define: { 'import.meta.url': 'importMetaUrl' } };
const exists = (p) => fs.existsSync(path.join(root, p));
const entries = (dir, suffix) =>
  exists(dir) ? fs.readdirSync(path.join(root, dir), { recursive: true }).filter((f) => String(f).endsWith(suffix)).map((f) => path.join(dir, String(f))) : [];

const builds = [];
if (exists('src/extension/extension.ts'))
  builds.push({ ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], metafile: true });
if (exists('src/cli/main.ts'))
  builds.push({ ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } });
if (exists('src/standin/main.ts'))
  builds.push({ ...node, entryPoints: ['src/standin/main.ts'], outfile: 'dist/standin.js' });
const webviews = entries('src/webview', '.main.ts');
if (webviews.length)
  builds.push({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: webviews, outdir: 'dist/webview', entryNames: '[name]' });
// Tests: one bundle per file so node --test / mocha can load them individually.
const unitTests = entries('test/unit', '.test.ts');
if (unitTests.length)
  // playwright-core stays a runtime require (it finds its own files relative to its package).
  builds.push({ ...node, sourcemap: true, minify: false, entryPoints: unitTests, outdir: 'dist-test/unit', outbase: 'test/unit', external: ['playwright-core'] });
const vscodeTests = [...entries('test/vscode/suite', '.ts')];
if (vscodeTests.length)
  builds.push({ ...node, sourcemap: true, minify: false, entryPoints: vscodeTests, outdir: 'dist-test/vscode', outbase: 'test/vscode/suite', external: ['vscode', 'mocha'] });

const results = await Promise.all(builds.map((b) => esbuild.build(b)));
for (const r of results) if (r.metafile) fs.writeFileSync(path.join(root, 'dist/extension.meta.json'), JSON.stringify(r.metafile));
if (exists('dist/cli.js')) fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
