// Checks what code-server's postinstall relies on: the npm running this script describes the Node that runs
// it and this folder, not an outer npm's. (postinstall.sh reads the Node version from npm_config_user_agent.)
'use strict';
const path = require('node:path');

const problems = [];
const agent = process.env.npm_config_user_agent ?? '';
const agentNode = /\bnode\/(v[0-9][0-9.]*)/.exec(agent)?.[1];
if (agentNode !== process.version)
  problems.push(
    `npm_config_user_agent names Node ${agentNode ?? '(none)'} but Node ${process.version} runs: "${agent}"`,
  );
const localPrefix = process.env.npm_config_local_prefix;
if (localPrefix && path.resolve(localPrefix) !== path.resolve(__dirname))
  problems.push(`npm_config_local_prefix is ${localPrefix}, not this folder (${__dirname})`);
const wantedNodedir = process.env.PROMPTLAB_EXPECT_NODEDIR;
if (wantedNodedir && path.resolve(process.env.npm_config_nodedir ?? '') !== path.resolve(wantedNodedir))
  problems.push(`npm_config_nodedir is ${process.env.npm_config_nodedir ?? '(unset)'}, not ${wantedNodedir}`);

if (problems.length > 0) {
  for (const problem of problems) console.error(`[own-env-check] ${problem}`);
  process.exit(1);
}
console.log(`[own-env-check] ok: npm ${/npm\/([0-9.]+)/.exec(agent)?.[1] ?? '?'} on Node ${process.version}`);
