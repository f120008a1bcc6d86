#!/usr/bin/env bash
# Runs the VS Code test suites (extension host + UI end-to-end) in a throw-away code-server.
# First use installs what is missing (scripts/vscode/setup.sh); options are passed to run-tests.mjs:
#   --suite main,e2e,untrusted   --e2e <script name part>   --grep <mocha grep>   --no-build   --keep   --verbose
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/env.sh"
# code-server, Chromium and the harness see no variables of an outer npm (see env.sh).
promptlab_own_environment
bash "$here/setup.sh"

# The harness itself runs on the project's Node (the one that runs npm); only code-server gets Node 24.
promptlab_isolate_home

# If the Node harness is killed hard, its process groups (code-server, stand-in, Chromium) still end here.
# The file name carries this shell's PID, so a later run can tell a dead run's leftovers from a live run.
export PROMPTLAB_PGID_FILE="$TMPDIR/promptlab-pgids.$$"
end_groups() {
  local file=$1 check=${2:-} pgid
  [ -f "$file" ] || return 0
  while read -r pgid; do
    [ -n "$pgid" ] || continue
    # For an old file the group id may since have been reused: end it only if it still runs our tools.
    if [ -n "$check" ] && ! pgrep -a -g "$pgid" 2>/dev/null | grep -qE 'code-server|chromium|standin|e2e\.mjs'; then continue; fi
    kill -KILL -- "-$pgid" 2>/dev/null || true
  done < "$file"
  rm -f "$file"
}
for leftover in "$TMPDIR"/promptlab-pgids.*; do
  [ -e "$leftover" ] || continue
  owner=${leftover##*.}
  if ! kill -0 "$owner" 2>/dev/null; then
    echo "[vscode] ending process groups left by an earlier run that was killed (pid $owner)"
    end_groups "$leftover" check
  fi
done
: > "$PROMPTLAB_PGID_FILE"
trap 'end_groups "$PROMPTLAB_PGID_FILE"' EXIT

cd "$root"
node "$here/run-tests.mjs" "$@"
