// What the bench scripts share at start-up: where the repository is, the project's TypeScript
// bundled for Node by esbuild (into dist-bench/) and loaded, number flags, and built files they need.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** esbuild options every bench bundle for Node uses. */
export const nodeBundleOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // As in scripts/build.mjs: jsonc-parser's `main` is a UMD build whose inner require() calls esbuild
  // cannot follow; its ES build bundles.
  alias: { 'jsonc-parser': path.join(root, 'node_modules/jsonc-parser/lib/esm/main.js') },
};

/**
 * Bundles a module of the repository for Node into dist-bench/<name>.cjs and loads it. `entry` is a path
 * relative to the root, or `{ contents }`: the source of a module whose imports are relative to the root.
 */
export async function loadBundled(name, entry) {
  const outfile = path.join(root, 'dist-bench', `${name}.cjs`);
  await esbuild.build({
    ...nodeBundleOptions,
    ...(typeof entry === 'string'
      ? { entryPoints: [path.join(root, entry)] }
      : { stdin: { contents: entry.contents, resolveDir: root, loader: 'ts' } }),
    outfile,
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(outfile);
}

/** The number after `flag` on the command line (`--cases 500`), else `fallback`. */
export function numberFlag(flag, fallback) {
  const at = process.argv.indexOf(flag);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

/** The absolute path of a built file (relative to the root); exits saying how to build it when it is missing. */
export function builtFile(relativePath) {
  const file = path.join(root, relativePath);
  if (!fs.existsSync(file)) {
    console.error(`bench: ${relativePath} is missing; run node scripts/build.mjs first`);
    process.exit(1);
  }
  return file;
}
