// Bundles every entry point with esbuild; `tsc` only type-checks (npm run typecheck).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';
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
  // jsonc-parser's `main` is a UMD build whose inner require() calls esbuild cannot follow; its ES build bundles.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};
const exists = (p) => fs.existsSync(path.join(root, p));

// Large data-only dependencies (tokenizer ranks, the price catalogue) are built as separate
// files under <bundle dir>/vendor/ and `require`d on first use, so parsing them never slows the
// CLI's start or the extension's activation. `dir` is where the requiring bundle lives.
// The encodings are gpt-tokenizer's encoder with its ranks read from a text file (see
// scripts/vendor-encoding.js and encodeRanks below).
const ENCODINGS = ['o200k_base', 'cl100k_base'];
const VENDOR = {
  ...Object.fromEntries(ENCODINGS.map((name) => [`gpt-tokenizer/encoding/${name}`, name])),
  '@pydantic/genai-prices': 'genai-prices',
};
const vendorPlugin = (dir, folder = 'vendor') => ({
  name: 'vendor-chunks',
  setup(build) {
    const filter = new RegExp(
      `^(${Object.keys(VENDOR)
        .map((k) => k.replace(/[/.@-]/g, '\\$&'))
        .join('|')})$`,
    );
    build.onResolve({ filter }, (args) => {
      const file = path.join(root, dir, folder, `${VENDOR[args.path]}.js`);
      // Bundles in one folder use a relative path; test bundles (one per folder) the absolute one.
      const target = dir === 'dist' ? `./${folder}/${VENDOR[args.path]}.js` : file;
      return { path: target, external: true };
    });
  },
});
const vendorOptions = {
  ...common,
  sourcemap: false,
  minify: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
};
const require = createRequire(import.meta.url);
/**
 * gpt-tokenizer's ranks of `name` as text: line 1 is JSON of the ranks a line cannot hold (byte
 * arrays, text containing a line break) by rank, then one rank a line ("" where line 1 has it).
 * Read back by scripts/vendor-encoding.js; checked here to give back exactly the same array.
 */
function encodeRanks(name) {
  const ranks = require(`gpt-tokenizer/bpeRanks/${name}`).default;
  const special = {};
  const lines = ranks.map((value, rank) => {
    if (typeof value === 'string' && !value.includes('\n')) return value;
    special[rank] = value;
    return '';
  });
  const text = `${JSON.stringify(special)}\n${lines.join('\n')}`;
  const back = text.slice(text.indexOf('\n') + 1).split('\n');
  for (const [rank, value] of Object.entries(JSON.parse(text.slice(0, text.indexOf('\n'))))) back[Number(rank)] = value;
  if (back.length !== ranks.length || back.some((v, i) => JSON.stringify(v) !== JSON.stringify(ranks[i])))
    throw new Error(`build: the ${name} ranks do not survive their text form`);
  return text;
}
const vendorBuilds = (dir) => [
  {
    ...vendorOptions,
    entryPoints: [{ in: '@pydantic/genai-prices', out: 'genai-prices' }],
    outdir: path.join(dir, 'vendor'),
  },
  ...ENCODINGS.map((name) => ({
    ...vendorOptions,
    entryPoints: [{ in: 'scripts/vendor-encoding.js', out: name }],
    define: { ENCODING: JSON.stringify(name) },
    outdir: path.join(dir, 'vendor'),
  })),
];
const rankFiles = Object.fromEntries(ENCODINGS.map((name) => [name, encodeRanks(name)]));
const writeRanks = (dir) => {
  fs.mkdirSync(path.join(root, dir, 'vendor'), { recursive: true });
  for (const [name, text] of Object.entries(rankFiles))
    fs.writeFileSync(path.join(root, dir, 'vendor', `${name}.ranks`), text);
};
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
    // The stand-in counts with gpt-tokenizer's own modules (ranks as shipped), so that estimates,
    // which read dist/vendor/*.ranks, are checked against an independent count.
    plugins: [vendorPlugin('dist', 'standin-vendor')],
  });
builds.push({
  ...vendorOptions,
  entryPoints: ENCODINGS.map((name) => ({ in: `gpt-tokenizer/encoding/${name}`, out: name })),
  outdir: 'dist/standin-vendor',
});
builds.push(...vendorBuilds('dist'));
writeRanks('dist');
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
if (unitTests.length || vscodeTests.length) {
  builds.push(...vendorBuilds('dist-test'));
  writeRanks('dist-test');
}

const results = await Promise.all(
  builds.map(({ metaName, ...options }) => esbuild.build(options).then((result) => ({ result, metaName }))),
);
for (const { result, metaName } of results)
  if (metaName) fs.writeFileSync(path.join(root, `dist/${metaName}.meta.json`), JSON.stringify(result.metafile));
if (exists('dist/cli.js')) fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
