// Bundles every entry point with esbuild; `tsc` only type-checks (npm run typecheck).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  legalComments: 'none',
};
// CJS output has no import.meta; see scripts/import-meta-url.js.
const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  inject: ['scripts/import-meta-url.js'],
  define: { 'import.meta.url': 'importMetaUrl' },
};
const exists = (p) => fs.existsSync(path.join(root, p));

// Large data-only dependencies (tokenizer ranks, the price catalogue) are built as separate
// files under <bundle dir>/vendor/ and `require`d on first use, so parsing them never slows the
// CLI's start or the extension's activation. `dir` is where the requiring bundle lives.
const VENDOR = {
  'gpt-tokenizer/encoding/o200k_base': 'o200k_base',
  'gpt-tokenizer/encoding/cl100k_base': 'cl100k_base',
  '@pydantic/genai-prices': 'genai-prices',
};
const vendorPlugin = (dir) => ({
  name: 'vendor-chunks',
  setup(build) {
    const filter = new RegExp(
      `^(${Object.keys(VENDOR)
        .map((k) => k.replace(/[/.@-]/g, '\\$&'))
        .join('|')})$`,
    );
    build.onResolve({ filter }, (args) => {
      const file = path.join(root, dir, 'vendor', `${VENDOR[args.path]}.js`);
      // Bundles in one folder use a relative path; test bundles (one per folder) the absolute one.
      const target = dir === 'dist' ? `./vendor/${VENDOR[args.path]}.js` : file;
      return { path: target, external: true };
    });
  },
});
const vendorBuild = (dir) => ({
  ...common,
  sourcemap: false,
  minify: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  entryPoints: Object.entries(VENDOR).map(([spec, out]) => ({ in: spec, out })),
  outdir: path.join(dir, 'vendor'),
});
const entries = (dir, suffix) =>
  exists(dir)
    ? fs
        .readdirSync(path.join(root, dir), { recursive: true })
        .filter((f) => String(f).endsWith(suffix))
        .map((f) => path.join(dir, String(f)))
    : [];

// The extension is two bundles: dist/extension.js (activation: language features) and dist/engine.js
// (src/core's facade, loaded on first run by src/extension/engine.ts). Both import core's errors from
// one shared dist/core-errors.js so that their error classes are the same classes.
const CORE_ERRORS = path.join(root, 'src/core/errors.ts');
const sharedCoreErrors = {
  name: 'shared-core-errors',
  setup(build) {
    build.onResolve({ filter: /(^|\/)errors$/ }, (args) =>
      path.resolve(args.resolveDir, `${args.path}.ts`) === CORE_ERRORS
        ? { path: './core-errors.js', external: true }
        : undefined,
    );
  },
};

const builds = [];
if (exists('src/extension/extension.ts')) {
  const shared = { ...node, external: ['vscode'], plugins: [sharedCoreErrors, vendorPlugin('dist')], metafile: true };
  builds.push({
    ...shared,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    metaName: 'extension',
  });
  builds.push({ ...shared, entryPoints: ['src/core/index.ts'], outfile: 'dist/engine.js', metaName: 'engine' });
  builds.push({ ...node, entryPoints: ['src/core/errors.ts'], outfile: 'dist/core-errors.js' });
}
if (exists('src/cli/main.ts'))
  builds.push({
    ...node,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [vendorPlugin('dist')],
  });
if (exists('src/standin/main.ts'))
  builds.push({
    ...node,
    entryPoints: ['src/standin/main.ts'],
    outfile: 'dist/standin.js',
    plugins: [vendorPlugin('dist')],
  });
builds.push(vendorBuild('dist'));
const webviews = entries('src/webview', '.main.ts');
if (webviews.length)
  builds.push({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: webviews,
    outdir: 'dist/webview',
    entryNames: '[name]',
  });
// Tests: one bundle per file so node --test / mocha can load them individually.
const unitTests = entries('test/unit', '.test.ts');
// Emptied first: a bundle left from a test that was moved or deleted would still be found and run by `npm test`.
fs.rmSync(path.join(root, 'dist-test/unit'), { recursive: true, force: true });
if (unitTests.length)
  // playwright-core stays a runtime require (it finds its own files relative to its package).
  builds.push({
    ...node,
    sourcemap: true,
    minify: false,
    entryPoints: unitTests,
    outdir: 'dist-test/unit',
    outbase: 'test/unit',
    external: ['playwright-core'],
    plugins: [vendorPlugin('dist-test')],
  });
const vscodeTests = [...entries('test/vscode/suite', '.ts')];
if (vscodeTests.length)
  builds.push({
    ...node,
    sourcemap: true,
    minify: false,
    entryPoints: vscodeTests,
    outdir: 'dist-test/vscode',
    outbase: 'test/vscode/suite',
    external: ['vscode', 'mocha'],
    plugins: [vendorPlugin('dist-test')],
  });
if (unitTests.length || vscodeTests.length) builds.push(vendorBuild('dist-test'));

const results = await Promise.all(
  builds.map(({ metaName, ...options }) => esbuild.build(options).then((result) => ({ result, metaName }))),
);
for (const { result, metaName } of results)
  if (metaName) fs.writeFileSync(path.join(root, `dist/${metaName}.meta.json`), JSON.stringify(result.metafile));
if (exists('dist/cli.js')) fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
