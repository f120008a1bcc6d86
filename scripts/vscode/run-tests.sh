#!/usr/bin/env bash
# Runs the VS Code test suites (extension host + UI end-to-end) in a throw-away code-server.
# First use installs what is missing (scripts/vscode/setup.sh); options are passed to run-tests.mjs:
#   --suite main,e2e,untrusted   --e2e <script name part>   --grep <mocha grep>   --no-build   --keep   --verbose
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/env.sh"
bash "$here/setup.sh"

# The harness itself runs on the project's Node (the one that runs npm); only code-server gets Node 24.
promptlab_isolate_home

# If the Node harness is killed hard, its process groups (code-server, stand-in, Chromium) still end here.
export PROMPTLAB_PGID_FILE
PROMPTLAB_PGID_FILE=$(mktemp "$TMPDIR/promptlab-pgids.XXXXXX")
end_groups() {
  local pgid
  while read -r pgid; do
    [ -n "$pgid" ] && kill -KILL -- "-$pgid" 2>/dev/null || true
  done < "$PROMPTLAB_PGID_FILE"
  rm -f "$PROMPTLAB_PGID_FILE"
}
trap end_groups EXIT

cd "$root"
node "$here/run-tests.mjs" "$@"
