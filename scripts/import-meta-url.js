// Injected by scripts/build.mjs into the CJS Node bundles, where `import.meta` does not exist:
// ESM dependencies that call createRequire(import.meta.url) (fdir, under tinyglobby) get the
// bundle's own file URL instead of undefined.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;
