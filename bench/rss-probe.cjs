// Preloaded with `node -r bench/rss-probe.cjs dist/cli.js …`: at exit, writes the process's peak
// resident set size and CPU time (from process.resourceUsage()) as JSON to $PROMPTLAB_RSS_FILE:
// {"maxRssKb": …, "userMs": …, "systemMs": …}.
const fs = require('node:fs');
const target = process.env.PROMPTLAB_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(
      target,
      JSON.stringify({
        maxRssKb: usage.maxRSS,
        userMs: usage.userCPUTime / 1000,
        systemMs: usage.systemCPUTime / 1000,
      }),
    );
  });
}
