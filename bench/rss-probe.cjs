// Preloaded with `node -r bench/rss-probe.cjs dist/cli.js …`: at exit, writes the process's peak
// resident set size (KB, from process.resourceUsage().maxRSS) to $PROMPTLAB_RSS_FILE.
const fs = require('node:fs');
const target = process.env.PROMPTLAB_RSS_FILE;
if (target) process.on('exit', () => fs.writeFileSync(target, String(process.resourceUsage().maxRSS)));
